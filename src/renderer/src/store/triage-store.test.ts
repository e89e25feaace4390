// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import type { ActionOutcome } from '../../../shared/domain'
import { buildRows, refKey } from '../lib/request-rows'
import { installFakeKeygate, type FakeKeygate } from '../lib/testing/fake-keygate'
import { testKeyRequest } from '../../../shared/testing/key-request'
import { useKeysStore } from './keys-store'
import { useNavStore } from './nav-store'
import { useRequestsStore } from './requests-store'
import { useToastStore } from './toast-store'
import { useTriageStore } from './triage-store'

const ref = (requestId: string) => ({ profileId: 'prod', requestId })
const outcome = (overrides: Partial<ActionOutcome> = {}): ActionOutcome => ({
  opId: 'op-1',
  state: 'done',
  keyId: null,
  message: 'Declined.',
  ...overrides
})
const listed = () => useRequestsStore.getState().rows.map((row) => row.item.id)
const toasts = () => useToastStore.getState().toasts.map(({ tone, text }) => ({ tone, text }))

let keygate: FakeKeygate

beforeEach(() => {
  keygate = installFakeKeygate()
  const rows = buildRows(['r1', 'r2', 'r3'].map((id) => testKeyRequest(id)))
  useRequestsStore.setState({ rows, filtered: rows })
  useNavStore.setState({ selected: ref('r2'), dialog: null })
  useTriageStore.setState({ busy: {} })
  useToastStore.setState({ toasts: [] })
  useKeysStore.setState({ openKeyId: null })
})

describe('triage store: decline', () => {
  it('sends the reason, trimmed, with the request', async () => {
    keygate.succeed('requests:decline', outcome())
    expect(await useTriageStore.getState().decline(ref('r2'), '  duplicate account \n')).toBe(true)
    expect(keygate.callsTo('requests:decline')).toEqual([
      { profileId: 'prod', requestId: 'r2', reason: 'duplicate account' }
    ])
  })

  it('sends no reason at all when only blanks were typed', async () => {
    keygate.succeed('requests:decline', outcome())
    await useTriageStore.getState().decline(ref('r2'), '   ')
    expect(keygate.callsTo('requests:decline')).toEqual([{ profileId: 'prod', requestId: 'r2' }])
  })

  it('on success drops the row, selects the next one and says what happened', async () => {
    keygate.succeed('requests:decline', outcome({ message: 'Declined r2.' }))
    await useTriageStore.getState().decline(ref('r2'), '')
    expect(listed()).toEqual(['r1', 'r3'])
    expect(useNavStore.getState().selected).toEqual(ref('r3'))
    expect(toasts()).toEqual([{ tone: 'success', text: 'Declined r2.' }])
  })

  it('selects the previous row after declining the last one', async () => {
    useNavStore.setState({ selected: ref('r3') })
    keygate.succeed('requests:decline', outcome())
    await useTriageStore.getState().decline(ref('r3'), '')
    expect(useNavStore.getState().selected).toEqual(ref('r2'))
  })

  it('a queued decline stays in the list, marked queued, with an info toast', async () => {
    keygate.succeed(
      'requests:decline',
      outcome({ opId: 'op-9', state: 'queued', message: 'Queued.' })
    )
    await useTriageStore.getState().decline(ref('r2'), '')
    const row = useRequestsStore.getState().rows.find((r) => r.key === refKey(ref('r2')))
    expect(row?.item.queued).toEqual({ opId: 'op-9', kind: 'decline', state: 'queued' })
    expect(toasts()).toEqual([{ tone: 'info', text: 'Queued.' }])
  })

  it('a refused call keeps the row and the selection, shows the error and reports failure', async () => {
    keygate.fail('requests:decline', 'Portal unreachable')
    expect(await useTriageStore.getState().decline(ref('r2'), 'x')).toBe(false)
    expect(listed()).toEqual(['r1', 'r2', 'r3'])
    expect(useNavStore.getState().selected).toEqual(ref('r2'))
    expect(toasts()).toEqual([{ tone: 'error', text: 'Portal unreachable' }])
    expect(useTriageStore.getState().busy).toEqual({})
  })

  it('a failed action stays selected so the admin sees why', async () => {
    keygate.succeed('requests:decline', outcome({ state: 'failed', message: 'Refused (400).' }))
    await useTriageStore.getState().decline(ref('r2'), '')
    expect(useNavStore.getState().selected).toEqual(ref('r2'))
    expect(toasts()).toEqual([{ tone: 'error', text: 'Refused (400).' }])
  })
})

describe('triage store: approve and double submits', () => {
  it('marks the request busy while its call is out, and ignores a second action meanwhile', async () => {
    let answer: (value: ActionOutcome) => void = () => {}
    keygate.answer(
      'requests:approve',
      () => new Promise((resolve) => (answer = (value) => resolve({ ok: true, value })))
    )
    const first = useTriageStore.getState().approve(ref('r1'))
    expect(useTriageStore.getState().busy).toEqual({ [refKey(ref('r1'))]: 'approve' })
    expect(await useTriageStore.getState().decline(ref('r1'), '')).toBe(false)
    answer(outcome({ keyId: 'key-1', message: 'Approved.' }))
    await first
    expect(keygate.calls.map((entry) => entry.channel)).toEqual(['requests:approve'])
    expect(useTriageStore.getState().busy).toEqual({})
  })

  it('an approval that issued a key opens the key dialog instead of a toast', async () => {
    keygate.succeed('requests:approve', outcome({ keyId: 'key-1', message: 'Approved.' }))
    await useTriageStore.getState().approve(ref('r2'))
    expect(useKeysStore.getState().openKeyId).toBe('key-1')
    expect(toasts()).toEqual([])
  })

  it('leaves a key for a request the admin has moved away from to its notice', async () => {
    keygate.succeed('requests:approve', outcome({ keyId: 'key-1', message: 'Approved.' }))
    await useTriageStore.getState().approve(ref('r1'))
    expect(useKeysStore.getState().openKeyId).toBeNull()
  })
})
