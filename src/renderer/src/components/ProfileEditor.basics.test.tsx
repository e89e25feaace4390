// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { profileSchema, type Profile } from '../../../shared/domain'
import { installFakeKeygate, type FakeKeygate } from '../lib/testing/fake-keygate'
import { testProfileSummary } from '../lib/testing/profile-summary'
import { useNavStore } from '../store/nav-store'
import { useProfilesStore } from '../store/profiles-store'
import { ProfileEditor } from './ProfileEditor'

let keygate: FakeKeygate

const summary = testProfileSummary()
// The profile as `profiles:create`/`profiles:update` answer it: the summary without its live fields.
const saved: Profile = profileSchema.parse(summary)

function open(profileId: string | null) {
  useNavStore.setState({ dialog: { kind: 'profile-editor', profileId } })
  render(<ProfileEditor profileId={profileId} />)
  return userEvent.setup()
}

const field = (name: RegExp) => screen.getByLabelText(name)
const alerts = () => screen.queryAllByRole('alert').map((alert) => alert.textContent)

beforeEach(() => {
  keygate = installFakeKeygate()
  keygate.succeed('profiles:list', [summary])
  useProfilesStore.setState({ profiles: [summary], info: null })
})
afterEach(cleanup)

describe('ProfileEditor', () => {
  it('names each missing required field and sends nothing', async () => {
    const user = open(null)
    await user.click(screen.getByRole('button', { name: 'Add portal' }))
    expect(alerts()).toEqual([
      'Give the profile a name',
      expect.stringContaining('Enter the Dashboard URL'),
      'Paste the Dashboard API key'
    ])
    expect(keygate.callsTo('profiles:create')).toEqual([])
    expect(useNavStore.getState().dialog).not.toBeNull()
  })

  it('adds a portal with what was typed, then closes and shows it', async () => {
    keygate.succeed('profiles:create', saved)
    const user = open(null)
    await user.type(field(/^Name/), 'Production')
    await user.type(field(/^Dashboard URL/), 'https://dashboard.example.com')
    await user.type(field(/^API key/), 'dashboard-secret')
    await user.clear(field(/^Poll interval/))
    await user.type(field(/^Poll interval/), '120')
    await user.click(screen.getByRole('button', { name: 'Add portal' }))
    expect(keygate.callsTo('profiles:create')).toEqual([
      expect.objectContaining({
        name: 'Production',
        baseUrl: 'https://dashboard.example.com',
        secret: 'dashboard-secret',
        pollIntervalSec: 120
      })
    ])
    expect(useNavStore.getState()).toMatchObject({ dialog: null, profileId: 'prod' })
  })

  it('edits a portal without touching its stored API key unless one is typed', async () => {
    keygate.succeed('profiles:update', saved)
    const user = open('prod')
    expect(field(/^Name/)).toHaveProperty('value', 'Production')
    expect(field(/^API key/)).toHaveProperty('value', '')
    await user.clear(field(/^Name/))
    await user.type(field(/^Name/), 'Prod EU')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    const [update] = keygate.callsTo('profiles:update') as { id: string; patch: object }[]
    expect(update).toMatchObject({ id: 'prod', patch: { name: 'Prod EU' } })
    expect(update?.patch).not.toHaveProperty('secret')
  })

  it('edits the SLA thresholds, shows 24 and 72 by default, and names a number out of range', async () => {
    keygate.succeed('profiles:update', saved)
    const user = open('prod')
    expect(field(/^Late after/)).toHaveProperty('value', '24')
    expect(field(/^Overdue after/)).toHaveProperty('value', '72')
    await user.clear(field(/^Late after/))
    await user.type(field(/^Late after/), '0')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(alerts()).toEqual(['A whole number of hours, 1 to 8760'])
    expect(keygate.callsTo('profiles:update')).toEqual([])
    await user.clear(field(/^Late after/))
    await user.type(field(/^Late after/), '4')
    await user.clear(field(/^Overdue after/))
    await user.type(field(/^Overdue after/), '12')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    const [update] = keygate.callsTo('profiles:update') as { patch: object }[]
    expect(update?.patch).toMatchObject({ slaWarnHours: 4, slaBreachHours: 12 })
  })

  it('before deleting, says how many unsent actions may already have reached the portal', async () => {
    keygate.answer('profiles:delete', ({ pendingActions }) => ({
      ok: true,
      value:
        pendingActions === 'cancel'
          ? { deleted: true, queued: 0, failed: 0, uncertain: 0 }
          : { deleted: false, queued: 2, failed: 1, uncertain: 1 }
    }))
    const user = open('prod')
    await user.click(screen.getByRole('button', { name: 'Delete…' }))
    await user.click(screen.getByRole('button', { name: 'Delete portal' }))
    expect(screen.getByTestId('unsent-actions').textContent).toBe(
      'It still has 2 action(s) waiting to be sent and 1 that failed: send them first, or cancel ' +
        'them? 1 of them may already have reached the portal: cancelled, its decision log will ' +
        'say the outcome is unknown.'
    )
    await user.click(screen.getByRole('button', { name: 'Cancel them and delete' }))
    expect(keygate.callsTo('profiles:delete')).toEqual([
      { id: 'prod' },
      { id: 'prod', pendingActions: 'cancel' }
    ])
    expect(useNavStore.getState().dialog).toBeNull()
  })
})
