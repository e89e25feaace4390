// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ActionOutcome } from '../../../shared/domain'
import { buildRows } from '../lib/request-rows'
import { installFakeKeygate, type FakeKeygate } from '../lib/testing/fake-keygate'
import { testKeyRequest } from '../../../shared/testing/key-request'
import { testProfileSummary } from '../lib/testing/profile-summary'
import { useNavStore } from '../store/nav-store'
import { useProfilesStore } from '../store/profiles-store'
import { useRequestsStore } from '../store/requests-store'
import { useTriageStore } from '../store/triage-store'
import { DeclineDialog } from './DeclineDialog'

const target = { profileId: 'prod', requestId: 'r1' }
const declined: ActionOutcome = { opId: 'op-1', state: 'done', keyId: null, message: 'Declined.' }
let keygate: FakeKeygate

function open() {
  useNavStore.setState({ dialog: { kind: 'decline', ref: target } })
  render(<DeclineDialog target={target} />)
  return userEvent.setup()
}

beforeEach(() => {
  keygate = installFakeKeygate()
  const rows = buildRows([testKeyRequest('r1', { developer: { id: 'd1', email: 'ann@acme.io' } })])
  useRequestsStore.setState({ rows, filtered: rows })
  useTriageStore.setState({ busy: {} })
})
afterEach(cleanup)

describe('DeclineDialog', () => {
  it('names the developer and the catalogue, with the reason box focused', () => {
    open()
    const dialog = screen.getByRole('dialog', { name: 'Decline key request' })
    expect(dialog.textContent).toContain('ann@acme.io')
    expect(dialog.textContent).toContain('Payments API')
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: /Reason/ }))
  })

  it('says what the portal does with a declined request, in its kind’s words', () => {
    const capabilities = testProfileSummary().capabilities
    useProfilesStore.setState({ profiles: [testProfileSummary()] })
    open()
    expect(screen.getByRole('dialog').textContent).toContain(
      'The portal deletes declined requests; Keygate keeps a local record'
    )
    cleanup()
    useProfilesStore.setState({
      profiles: [testProfileSummary({ capabilities: { ...capabilities, decline: 'rejects' } })]
    })
    open()
    expect(screen.getByRole('dialog').textContent).toContain(
      'The portal keeps declined requests, marked rejected; Keygate keeps a local record'
    )
  })

  it('sends the typed reason with the decline and closes once it is done', async () => {
    keygate.succeed('requests:decline', declined)
    const user = open()
    await user.type(screen.getByRole('textbox', { name: /Reason/ }), 'Duplicate account')
    await user.click(screen.getByRole('button', { name: 'Decline' }))
    expect(keygate.callsTo('requests:decline')).toEqual([
      { ...target, reason: 'Duplicate account' }
    ])
    expect(useNavStore.getState().dialog).toBeNull()
  })

  it('Ctrl+Enter in the reason box declines too', async () => {
    keygate.succeed('requests:decline', declined)
    const user = open()
    await user.type(
      screen.getByRole('textbox', { name: /Reason/ }),
      'Test account{Control>}{Enter}{/Control}'
    )
    expect(keygate.callsTo('requests:decline')).toEqual([{ ...target, reason: 'Test account' }])
  })

  it('stays open with the reason kept when the decline is refused', async () => {
    keygate.fail('requests:decline', 'Portal unreachable')
    const user = open()
    await user.type(screen.getByRole('textbox', { name: /Reason/ }), 'Spam')
    await user.click(screen.getByRole('button', { name: 'Decline' }))
    expect(useNavStore.getState().dialog).not.toBeNull()
    expect(screen.getByRole('textbox', { name: /Reason/ })).toHaveProperty('value', 'Spam')
  })

  it('Cancel closes without declining', async () => {
    const user = open()
    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(useNavStore.getState().dialog).toBeNull()
    expect(keygate.calls).toEqual([])
  })
})
