// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { KeygateApi } from '../../../shared/ipc'
import type { Result } from '../../../shared/result'
import { useDecisionsStore } from './decisions-store'
import { useProfilesStore } from './profiles-store'
import { useRequestsStore } from './requests-store'

/** Calls of every scripted keygate, answered after each test so no load is left running. */
const open: { answer: () => void }[][] = []

/** window.keygate answering each list call when the test says, recording what was asked. */
function scriptedKeygate() {
  const calls: { channel: string; args: unknown; answer: () => void }[] = []
  const answerWith =
    (channel: string, value: unknown) =>
    (args: unknown): Promise<Result<unknown>> =>
      new Promise((resolve) => {
        calls.push({ channel, args, answer: () => resolve({ ok: true, value }) })
      })
  const api = {
    'requests:list': answerWith('requests:list', { items: [], sources: [] }),
    'decisions:list': answerWith('decisions:list', []),
    on: () => () => {}
  }
  window.keygate = api as unknown as KeygateApi
  open.push(calls)
  return { calls }
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

beforeEach(() => {
  // happy-dom has no idle callbacks; the list's search index is built in them.
  vi.stubGlobal('requestIdleCallback', (fn: () => void) => setTimeout(fn, 0))
  vi.stubGlobal('cancelIdleCallback', (handle: number) => clearTimeout(handle))
  useRequestsStore.setState({ scope: null, phase: 'idle', rows: [], filtered: [] })
  useDecisionsStore.setState({ profileId: null, shown: false, phase: 'idle', rows: [] })
  useProfilesStore.setState({ profiles: [] })
})
afterEach(async () => {
  // Answer everything, follow-ups included, until the stores are idle.
  for (let round = 0; round < 5; round++) {
    for (const calls of open) for (const call of calls) call.answer()
    await settle()
  }
  open.length = 0
  Reflect.deleteProperty(window, 'keygate')
  vi.unstubAllGlobals()
})

describe('request list reloads on push', () => {
  it('makes a burst of pushes during a load into one reload after it', async () => {
    const keygate = scriptedKeygate()
    const loading = useRequestsStore.getState().load({ profileId: 'prod', status: 'pending' })
    for (let i = 0; i < 3; i++) useRequestsStore.getState().reloadIfAffected(['prod'])
    expect(keygate.calls).toHaveLength(1)
    keygate.calls[0]?.answer()
    await loading
    expect(keygate.calls.map((c) => c.args)).toEqual([
      { status: 'pending', profileId: 'prod' },
      { status: 'pending', profileId: 'prod' }
    ])
    keygate.calls[1]?.answer()
    await settle()
    expect(keygate.calls).toHaveLength(2)
  })

  it('reloads what is on screen once the newest load ends, not after a superseded one', async () => {
    const keygate = scriptedKeygate()
    const first = useRequestsStore.getState().load({ profileId: 'prod', status: 'pending' })
    const second = useRequestsStore.getState().load({ profileId: null, status: 'approved' })
    useRequestsStore.getState().reloadIfAffected(['prod'])
    keygate.calls[0]?.answer()
    await first
    expect(keygate.calls).toHaveLength(2)
    keygate.calls[1]?.answer()
    await second
    expect(keygate.calls.map((c) => c.args)).toEqual([
      { status: 'pending', profileId: 'prod' },
      { status: 'approved' },
      { status: 'approved' }
    ])
  })

  it('ignores a push about portals not on screen, and reloads at once when idle', async () => {
    const keygate = scriptedKeygate()
    const loading = useRequestsStore.getState().load({ profileId: 'prod', status: 'pending' })
    keygate.calls[0]?.answer()
    await loading
    useRequestsStore.getState().reloadIfAffected(['staging'])
    expect(keygate.calls).toHaveLength(1)
    useRequestsStore.getState().reloadIfAffected(['prod'])
    expect(keygate.calls).toHaveLength(2)
  })
})

describe('decision log reloads on push', () => {
  it('makes a burst of pushes during a load into one reload after it, only while shown', async () => {
    const keygate = scriptedKeygate()
    const loading = useDecisionsStore.getState().load('prod')
    for (let i = 0; i < 3; i++) useDecisionsStore.getState().reloadIfShown()
    expect(keygate.calls).toHaveLength(1)
    keygate.calls[0]?.answer()
    await loading
    expect(keygate.calls).toHaveLength(2)
    keygate.calls[1]?.answer()
    await settle()
    useDecisionsStore.getState().hide()
    useDecisionsStore.getState().reloadIfShown()
    expect(keygate.calls).toHaveLength(2)
  })
})
