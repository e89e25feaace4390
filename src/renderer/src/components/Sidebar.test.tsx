// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ProfileSummary } from '../../../shared/domain'
import { testProfileSummary } from '../lib/testing/profile-summary'
import { useProfilesStore } from '../store/profiles-store'
import { Sidebar } from './Sidebar'

const profile = (id: string, name: string, patch: Partial<ProfileSummary>): ProfileSummary =>
  testProfileSummary({ id, name, pendingCount: 3, ...patch })

afterEach(cleanup)

describe('Sidebar', () => {
  it('marks a portal reached over plain http with a warning tag, and no other', () => {
    useProfilesStore.setState({
      profiles: [
        profile('a', 'Staging', { baseUrl: 'http://dash.internal:3000', allowHttp: true }),
        profile('b', 'Production', {}),
        profile('c', 'Local', { baseUrl: 'http://127.0.0.1:3000' })
      ],
      info: null
    })
    render(<Sidebar />)
    const entry = (name: string) => screen.getByRole('button', { name }).closest('li')!
    expect(within(entry('Staging')).getByText('http').getAttribute('title')).toMatch(/unencrypted/)
    expect(within(entry('Production')).queryByText('http')).toBeNull()
    // Loopback needs no opt-in: nothing leaves the machine.
    expect(within(entry('Local')).queryByText('http')).toBeNull()
  })
})
