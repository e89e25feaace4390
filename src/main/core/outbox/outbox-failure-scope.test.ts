import { describe, expect, it } from 'vitest'
import type { FaultKind } from '../testing/fake-portal'
import { approve, createHarness } from './testing/harness'

describe('Outbox failures: how far each one reaches', () => {
  it('a 5xx holds only its own item: the rest of the flush is sent', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2'] } },
      deps: { concurrency: 1, batchSize: 1 }
    })
    h.portal().inject('approve', 'server-error', { requestId: 'r1' })
    h.outbox.enqueueMany([approve('r1'), approve('r2')])
    await h.outbox.flush()
    expect(h.outbox.list().map((item) => item.state)).toEqual(['queued', 'done'])
  })

  it('a 401 on a call parks without reading the request again', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('approve', 'auth', { requestId: 'r1' })
    h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(h.portal().calls.map((call) => call.method)).toEqual(['getRequest', 'approve'])
    expect(h.byRequest('r1').state).toBe('needs-auth')
  })

  it("a 401 parks its own profile's items, never another profile's", async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] }, p2: { pending: ['r2'] } } })
    h.portal('p1').inject('approve', 'auth')
    h.outbox.enqueueMany([approve('r1', 'p1'), approve('r2', 'p2')])
    await h.outbox.flush('p1')
    expect(h.byRequest('r1').state).toBe('needs-auth')
    expect(h.byRequest('r2')).toMatchObject({ state: 'queued', lastError: null })
  })

  it('two 429s in one flush pause it until the later of their two waits', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2', 'r3'] } },
      deps: {
        concurrency: 2,
        batchSize: 2,
        random: () => 0.999_999,
        // Longer than the 30 s Retry-After: the backoff decides each wait.
        backoff: { baseMs: 60_000, capMs: 600_000 }
      }
    })
    // r1 failed once before, so its next wait is twice r2's.
    h.portal().inject('approve', 'server-error', { requestId: 'r1' })
    const longer = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    await h.clock.advance(Date.parse(h.outbox.get(longer.opId)!.nextAttemptAt!) - h.clock.now())

    const [shorter, behind] = h.outbox.enqueueMany([approve('r2'), approve('r3')])
    h.portal().inject('approve', 'rate-limited', { requestId: 'r1' })
    h.portal().inject('approve', 'rate-limited', { requestId: 'r2' })
    await h.outbox.flush()
    const waitOf = (opId: string) => Date.parse(h.outbox.get(opId)!.nextAttemptAt!)
    expect(waitOf(longer.opId)).toBeGreaterThan(waitOf(shorter!.opId))
    expect(waitOf(behind!.opId)).toBe(waitOf(longer.opId))
  })

  // The backoff draws only for failures that wait, so a seeded run keeps its random sequence.
  it.each<{ failure: string; callFault: FaultKind; readFault: FaultKind | null; draws: number }>([
    { failure: 'a refused call', callFault: 'bad-request', readFault: null, draws: 0 },
    {
      failure: 'a 401 on the re-read after a lost reply',
      callFault: 'lost-before-commit',
      readFault: 'auth',
      draws: 0
    },
    {
      failure: 'a failed re-read after an error Keygate did not understand',
      callFault: 'crash',
      readFault: 'offline',
      draws: 0
    },
    {
      failure: 'a failed re-read after a lost reply',
      callFault: 'lost-before-commit',
      readFault: 'offline',
      draws: 1
    }
  ])('$failure draws $draws backoff delays', async ({ callFault, readFault, draws }) => {
    let drawn = 0
    const h = createHarness({
      profiles: { p1: { pending: ['r1'] } },
      deps: {
        random: () => {
          drawn += 1
          return 0.5
        }
      }
    })
    h.portal().inject('approve', callFault)
    h.portal().beforeCall = (call) => {
      // The pre-flight read has gone through; the fault is for the re-read that follows the call.
      if (call.method === 'approve' && readFault) h.portal().inject('getRequest', readFault)
    }
    h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(h.portal().count('getRequest')).toBe(readFault ? 2 : 1)
    expect(drawn).toBe(draws)
  })
})
