// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ActionOutcome, KeyNotice } from '../../../shared/domain'
import type { Result } from '../../../shared/result'
import { installFakeKeygate, type FakeKeygate } from '../lib/testing/fake-keygate'
import { useKeysStore } from '../store/keys-store'
import { useNavStore } from '../store/nav-store'
import { useTriageStore } from '../store/triage-store'
import { KeyDialog } from './KeyDialog'
import { KeyNotices } from './KeyNotices'

const requestA = { profileId: 'prod', requestId: 'r-a' }
const requestB = { profileId: 'prod', requestId: 'r-b' }

const noticeA: KeyNotice = {
  id: 'key-a',
  ...requestA,
  developerEmail: 'ada@example.com',
  catalogueName: 'Payments API',
  issuedAt: '2026-03-12T13:00:00.000Z',
  status: 'ready'
}

const approved: ActionOutcome = {
  opId: 'op-a',
  state: 'done',
  keyId: noticeA.id,
  message: 'Approved: the key for ada@example.com can be copied once.'
}

let keygate: FakeKeygate
let finishApproval: (result: Result<ActionOutcome>) => void

beforeEach(() => {
  useKeysStore.setState({ notices: [], openKeyId: null, dismissed: new Set() })
  useNavStore.setState({ selected: requestA, dialog: null })
  keygate = installFakeKeygate({
    // A slow portal: the approval answers when the test says so.
    'requests:approve': () =>
      new Promise((resolve) => {
        finishApproval = resolve
      }),
    'keys:reveal': async () => ({ ok: true, value: { kind: 'key', rawKey: 'raw-key-ada' } }),
    'keys:dismiss': async () => ({ ok: true, value: null })
  })
})
afterEach(cleanup)

/** Approves request A; the portal answers once `meanwhile` ran, with its key issued. */
async function approveA(meanwhile: () => void): Promise<void> {
  const approving = useTriageStore.getState().approve(requestA)
  await waitFor(() => expect(useTriageStore.getState().busy).not.toEqual({}))
  act(meanwhile)
  act(() => useKeysStore.getState().setNotices([noticeA]))
  await act(async () => {
    finishApproval({ ok: true, value: approved })
    await approving
  })
}

describe('a key issued while the admin looks elsewhere', () => {
  it('shows as a notice, not a dialog over the request selected since; Reveal opens it', async () => {
    const user = userEvent.setup()
    render(
      <>
        <KeyNotices />
        <KeyDialog />
      </>
    )
    await approveA(() => useNavStore.getState().select(requestB))

    expect(screen.queryByRole('dialog')).toBeNull()
    const notices = screen.getByRole('region', { name: 'Keys ready' })
    expect(notices.textContent).toContain('Key ready for ada@example.com / Payments API')

    await user.click(screen.getByRole('button', { name: 'Reveal key for ada@example.com' }))
    const dialog = await screen.findByRole('dialog', { name: 'Key issued' })
    expect(dialog.textContent).toContain('ada@example.com')
    expect((await screen.findByTestId('credential-value')).textContent).toBe('raw-key-ada')
    expect(keygate.calls.filter((c) => c.channel === 'keys:reveal')).toEqual([
      { channel: 'keys:reveal', args: { keyId: noticeA.id } }
    ])
  })

  it('stays a notice when another dialog opened meanwhile', async () => {
    render(<KeyDialog />)
    await approveA(() => useNavStore.getState().openDialog({ kind: 'decline', ref: requestB }))
    expect(screen.queryByRole('dialog', { name: 'Key issued' })).toBeNull()
    expect(useKeysStore.getState().openKeyId).toBeNull()
  })

  it('opens at once when the admin is still on the request', async () => {
    render(<KeyDialog />)
    await approveA(() => {})
    expect(await screen.findByRole('dialog', { name: 'Key issued' })).toBeTruthy()
  })
})

describe('a key not revealed in time', () => {
  it('says it was dropped and what to do; Dismiss removes the notice', async () => {
    const user = userEvent.setup()
    useKeysStore.setState({ notices: [{ ...noticeA, status: 'expired' }] })
    render(<KeyNotices />)
    expect(screen.getByRole('alert').textContent).toContain(
      'The key for ada@example.com / Payments API was not revealed within 10 minutes and has been dropped: revoke and re-issue it on the Dashboard.'
    )
    expect(screen.queryByRole('button', { name: /Reveal/ })).toBeNull()

    await user.click(
      screen.getByRole('button', { name: 'Dismiss the notice about ada@example.com' })
    )
    expect(screen.queryByRole('alert')).toBeNull()
    expect(keygate.calls.filter((c) => c.channel === 'keys:dismiss')).toEqual([
      { channel: 'keys:dismiss', args: { keyId: noticeA.id } }
    ])
  })
})
