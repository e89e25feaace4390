// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RequestDetail } from '../../../shared/domain'
import { buildRows } from '../lib/request-rows'
import { installFakeKeygate, type FakeKeygate } from '../lib/testing/fake-keygate'
import { testKeyRequest } from '../../../shared/testing/key-request'
import { testProfileSummary } from '../lib/testing/profile-summary'
import { useNavStore } from '../store/nav-store'
import { useProfilesStore } from '../store/profiles-store'
import { useRequestsStore } from '../store/requests-store'
import { DetailPane } from './DetailPane'

let keygate: FakeKeygate

const listed = testKeyRequest('r1', {
  flags: [{ kind: 'has-access', text: 'Developer already holds Gold tier' }]
})
const detail: RequestDetail = {
  ...listed,
  raw: {},
  subscriptions: [
    { policyId: 'pol-gold', policyName: 'Gold tier', since: '2026-02-01T10:00:00.000Z' },
    { policyId: 'pol-old', policyName: null, since: null }
  ]
}

beforeEach(() => {
  keygate = installFakeKeygate()
  useProfilesStore.setState({ profiles: [testProfileSummary()], info: null })
  useRequestsStore.setState({ rows: buildRows([listed]), phase: 'ready' })
  useNavStore.setState({ selected: { profileId: listed.profileId, requestId: listed.id } })
})
afterEach(cleanup)

describe('DetailPane', () => {
  it('says each flag in words and lists what the developer already holds, by name and date', async () => {
    keygate.succeed('requests:get', detail)
    render(<DetailPane />)
    const flags = await screen.findByTestId('detail-flags')
    expect(flags.textContent).toContain('Has access')
    expect(flags.textContent).toContain('Developer already holds Gold tier')
    const held = await screen.findByTestId('subscriptions')
    const items = within(held)
      .getAllByRole('listitem')
      .map((item) => item.textContent)
    expect(items[0]).toMatch(/^Gold tier · since /)
    expect(items[1]).toBe('pol-old · date not known')
  })

  it('shows no holdings section when the developers could not be read', async () => {
    const { subscriptions: _none, ...unknown } = detail
    keygate.succeed('requests:get', { ...unknown, flags: [] })
    render(<DetailPane />)
    await screen.findByText(listed.id)
    expect(screen.queryByTestId('subscriptions')).toBeNull()
    expect(screen.queryByText('Already holds')).toBeNull()
  })
})
