import { describe, expect, it } from 'vitest'
import { readRequestState, readRequestStates } from './preflight'
import { FakePortal } from '../testing/fake-portal'

describe('readRequestStates', () => {
  it('reads pending ones from the list and GETs only those missing from it', async () => {
    const portal = new FakePortal('p1', { pending: ['r1'], approved: ['r2'] })
    const read = await readRequestStates(portal, ['r1', 'r2', 'r3'], 2)
    expect(read).toEqual({
      ok: true,
      states: new Map([
        ['r1', 'pending'],
        ['r2', 'approved'],
        ['r3', 'gone']
      ]),
      failures: new Map()
    })
    expect(portal.count('getRequest')).toBe(2)
  })

  it('stops reading at the first auth failure and reports it for the whole profile', async () => {
    const portal = new FakePortal('p1', { approved: ['r1', 'r2', 'r3'] })
    portal.inject('getRequest', 'auth', { requestId: 'r1' })
    const read = await readRequestStates(portal, ['r1', 'r2', 'r3'], 1)
    expect(read).toMatchObject({ ok: false, failure: { kind: 'auth' } })
    expect(portal.count('getRequest')).toBe(1)
  })

  it('keeps a transient GET failure on its own request and reads the others', async () => {
    const portal = new FakePortal('p1', { approved: ['r1', 'r2'] })
    portal.inject('getRequest', 'server-error', { requestId: 'r1' })
    const read = await readRequestStates(portal, ['r1', 'r2'], 1)
    if (!read.ok) throw new Error('expected a read')
    expect(read.states).toEqual(new Map([['r2', 'approved']]))
    expect([...read.failures.entries()].map(([id, failure]) => [id, failure.kind])).toEqual([
      ['r1', 'transient']
    ])
  })

  it('keeps a refused GET of a lone request on that request: only auth and transient ones stop the profile', async () => {
    const portal = new FakePortal('p1', { pending: ['r1'] })
    portal.inject('getRequest', 'bad-request', { requestId: 'r1' })
    const read = await readRequestStates(portal, ['r1'], 1)
    if (!read.ok) throw new Error('expected a read')
    expect(read.states).toEqual(new Map())
    expect([...read.failures.entries()].map(([id, failure]) => [id, failure.kind])).toEqual([
      ['r1', 'rejected']
    ])
  })

  it('settles every request by its own GET when the list cannot be read', async () => {
    const portal = new FakePortal('p1', { pending: ['r1'], approved: ['r2'] })
    portal.inject('listRequests', 'invalid')
    const read = await readRequestStates(portal, ['r1', 'r2', 'r3'], 2)
    expect(read).toEqual({
      ok: true,
      states: new Map([
        ['r1', 'pending'],
        ['r2', 'approved'],
        ['r3', 'gone']
      ]),
      failures: new Map()
    })
    expect(portal.count('getRequest')).toBe(3)
  })

  it.each([
    ['offline', 'transient'],
    ['server-error', 'transient'],
    ['lost-before-commit', 'transient'],
    ['auth', 'auth'],
    ['forbidden', 'auth']
  ] as const)(
    'reports a list read failing (%s) for the whole profile, reading nothing more',
    async (fault, kind) => {
      const portal = new FakePortal('p1', { pending: ['r1'] })
      portal.inject('listRequests', fault)
      const read = await readRequestStates(portal, ['r1', 'r2'], 2)
      expect(read).toMatchObject({ ok: false, failure: { kind } })
      expect(portal.count('getRequest')).toBe(0)
    }
  )

  it('does not trust an unreadable entry of the list: its own GET decides', async () => {
    const portal = new FakePortal('p1', { pending: ['r1', 'r2'] })
    const list = portal.listRequests.bind(portal)
    portal.listRequests = async (status) =>
      (await list(status)).map((request) =>
        request.id === 'r2' ? { ...request, unreadable: 'no policy list' } : request
      )
    const read = await readRequestStates(portal, ['r1', 'r2'], 2)
    expect(read).toMatchObject({
      ok: true,
      states: new Map([
        ['r1', 'pending'],
        ['r2', 'pending']
      ])
    })
    expect(portal.calls.filter((call) => call.method === 'getRequest')).toEqual([
      { method: 'getRequest', requestId: 'r2' }
    ])
  })

  it('passes on a GET failure other than NOT_FOUND from readRequestState', async () => {
    const portal = new FakePortal('p1', { pending: ['r1'] })
    portal.inject('getRequest', 'forbidden', { requestId: 'r1' })
    await expect(readRequestState(portal, 'r1')).rejects.toMatchObject({
      error: { code: 'FORBIDDEN' }
    })
    expect(await readRequestState(portal, 'r1')).toBe('pending')
    expect(await readRequestState(portal, 'r9')).toBe('gone')
  })
})
