// @vitest-environment happy-dom
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RequestListView } from '../../../shared/domain'
import type { Result } from '../../../shared/result'
import { installFakeKeygate, type FakeKeygate } from '../lib/testing/fake-keygate'
import { testKeyRequest } from '../../../shared/testing/key-request'
import { useRequestsStore } from './requests-store'

const view = (...ids: string[]): RequestListView => ({
  items: ids.map((id) => testKeyRequest(id)),
  sources: []
})
const shown = () => useRequestsStore.getState().filtered.map((row) => row.item.id)
const pending = { profileId: null, status: 'pending' as const }

/** Answers `requests:list` calls one by one, when the test says so. */
function heldAnswers(keygate: FakeKeygate) {
  const waiting: ((result: Result<RequestListView>) => void)[] = []
  keygate.answer('requests:list', () => new Promise((resolve) => waiting.push(resolve)))
  return {
    get count() {
      return waiting.length
    },
    answer(index: number, value: RequestListView) {
      waiting[index]?.({ ok: true, value })
    }
  }
}

let keygate: FakeKeygate

beforeAll(() => {
  // happy-dom has no idle callbacks; the search index then fills on the next macrotask.
  vi.stubGlobal('requestIdleCallback', (run: () => void) => setTimeout(run, 0))
  vi.stubGlobal('cancelIdleCallback', (handle: number) => clearTimeout(handle))
})

beforeEach(() => {
  keygate = installFakeKeygate()
  useRequestsStore.setState({
    scope: null,
    phase: 'idle',
    rows: [],
    filtered: [],
    query: '',
    terms: [],
    error: null
  })
})

describe('requests store', () => {
  it('loads a scope, asking only for what the scope names', async () => {
    keygate.succeed('requests:list', view('r1', 'r2'))
    await useRequestsStore.getState().load({ profileId: 'prod', status: 'approved' })
    await useRequestsStore.getState().load(pending, { refresh: true })
    expect(keygate.callsTo('requests:list')).toEqual([
      { status: 'approved', profileId: 'prod' },
      { status: 'pending', refresh: true }
    ])
    expect(useRequestsStore.getState()).toMatchObject({ phase: 'ready', refreshing: false })
    expect(shown()).toEqual(['r1', 'r2'])
  })

  it('shows an error with nothing to show, and keeps the previous rows when a reload fails', async () => {
    keygate.fail('requests:list', 'Portal unreachable')
    await useRequestsStore.getState().load(pending)
    expect(useRequestsStore.getState()).toMatchObject({
      phase: 'error',
      error: { message: 'Portal unreachable' }
    })

    keygate.succeed('requests:list', view('r1'))
    await useRequestsStore.getState().load(pending)
    keygate.fail('requests:list', 'Portal unreachable')
    await useRequestsStore.getState().load(pending)
    expect(useRequestsStore.getState()).toMatchObject({
      phase: 'ready',
      error: { message: 'Portal unreachable' }
    })
    expect(shown()).toEqual(['r1'])
  })

  it('ignores an answer overtaken by a later load', async () => {
    const held = heldAnswers(keygate)
    const first = useRequestsStore.getState().load(pending)
    const second = useRequestsStore.getState().load({ profileId: 'prod', status: 'pending' })
    held.answer(1, view('new'))
    await second
    held.answer(0, view('old'))
    await first
    expect(shown()).toEqual(['new'])
  })

  it('reloads on a push for the portal on screen, once more at most while a load runs', async () => {
    const held = heldAnswers(keygate)
    useRequestsStore.setState({ scope: { profileId: 'prod', status: 'pending' } })
    useRequestsStore.getState().reloadIfAffected(['staging'])
    expect(held.count).toBe(0)

    useRequestsStore.getState().reloadIfAffected(['prod'])
    useRequestsStore.getState().reloadIfAffected(['prod'])
    useRequestsStore.getState().reloadIfAffected(['prod', 'staging'])
    expect(held.count).toBe(1)
    held.answer(0, view('r1'))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(held.count).toBe(2)
    held.answer(1, view('r1', 'r2'))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(held.count).toBe(2)
    expect(shown()).toEqual(['r1', 'r2'])
  })

  it('filters by every search term and patches or removes one row in place', async () => {
    keygate.succeed('requests:list', view('alice', 'bob', 'alina'))
    await useRequestsStore.getState().load(pending)
    useRequestsStore.getState().setQuery('ali')
    expect(shown()).toEqual(['alice', 'alina'])
    useRequestsStore.getState().setQuery('ali  alina@')
    expect(shown()).toEqual(['alina'])
    useRequestsStore.getState().setQuery('')
    expect(shown()).toEqual(['alice', 'bob', 'alina'])

    const [alice] = useRequestsStore.getState().rows
    useRequestsStore.getState().patch(alice!.key, testKeyRequest('alice', { approved: true }))
    expect(useRequestsStore.getState().rows[0]?.item.approved).toBe(true)
    useRequestsStore.getState().patch(alice!.key, null)
    expect(shown()).toEqual(['bob', 'alina'])
  })
})
