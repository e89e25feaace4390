import { describe, expect, it } from 'vitest'
import { readRequestStates } from './preflight'
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
})
