// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import { installFakeKeygate, type FakeKeygate } from '../lib/testing/fake-keygate'
import { testOutboxItem } from '../lib/testing/outbox-item'
import { useOutboxStore } from './outbox-store'
import { useToastStore } from './toast-store'

let keygate: FakeKeygate

beforeEach(() => {
  keygate = installFakeKeygate()
  useOutboxStore.getState().setItems([])
  useOutboxStore.setState({ busy: new Set() })
  useToastStore.setState({ toasts: [] })
})

describe('outbox store', () => {
  it('counts the items still to settle and indexes them by opId', async () => {
    keygate.succeed('outbox:list', [
      testOutboxItem({ opId: 'a', state: 'queued' }),
      testOutboxItem({ opId: 'b', state: 'sending' }),
      testOutboxItem({ opId: 'c', state: 'needs-auth' }),
      testOutboxItem({ opId: 'd', state: 'failed' }),
      testOutboxItem({ opId: 'e', state: 'done' })
    ])
    await useOutboxStore.getState().load()
    const state = useOutboxStore.getState()
    expect(state.activeCount).toBe(3)
    expect(state.byOp.get('d')?.state).toBe('failed')
    expect(state.error).toBeNull()
  })

  it('keeps the last list and records the error when a load fails', async () => {
    useOutboxStore.getState().setItems([testOutboxItem({ opId: 'a', state: 'queued' })])
    keygate.fail('outbox:list', 'Keygate’s core did not answer')
    await useOutboxStore.getState().load()
    expect(useOutboxStore.getState()).toMatchObject({
      activeCount: 1,
      error: { message: 'Keygate’s core did not answer' }
    })
  })

  it('retries and cancels by opId, busy while the call is out, and shows a refusal', async () => {
    let release: () => void = () => {}
    keygate.answer(
      'outbox:retry',
      () => new Promise((resolve) => (release = () => resolve({ ok: true, value: null })))
    )
    const retrying = useOutboxStore.getState().retry('op-1')
    expect([...useOutboxStore.getState().busy]).toEqual(['op-1'])
    release()
    await retrying
    expect(useOutboxStore.getState().busy.size).toBe(0)

    keygate.fail('outbox:cancel', 'Only queued actions can be cancelled')
    await useOutboxStore.getState().cancel('op-2')
    expect(keygate.calls.map(({ channel, args }) => [channel, args])).toEqual([
      ['outbox:retry', { opId: 'op-1' }],
      ['outbox:cancel', { opId: 'op-2' }]
    ])
    expect(useToastStore.getState().toasts.map((toast) => toast.text)).toEqual([
      'Only queued actions can be cancelled'
    ])
  })
})
