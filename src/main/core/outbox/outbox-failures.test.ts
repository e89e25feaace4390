import { describe, expect, it } from 'vitest'
import { AppFailure } from '../../../shared/result'
import { approve, createHarness, decline } from './testing/harness'

const base = 1_000
const cap = 60_000

describe('Outbox retry policy', () => {
  it('retries a 5xx with capped exponential backoff and full jitter, then succeeds', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1'] } },
      deps: { random: () => 0.999_999, backoff: { baseMs: base, capMs: cap } }
    })
    h.portal().inject('approve', 'server-error', { times: 9 })
    const { opId } = h.outbox.enqueue(approve('r1'))

    const delays: number[] = []
    for (let failure = 0; failure < 9; failure += 1) {
      await h.outbox.flush()
      const item = h.outbox.get(opId)!
      expect(item).toMatchObject({ state: 'queued', attempts: failure + 1 })
      expect(item.lastError).toMatchObject({ code: 'SERVER_ERROR' })
      const delay = Date.parse(item.nextAttemptAt!) - h.clock.now()
      delays.push(delay)
      // Not due before its time: a flush now sends nothing.
      await h.outbox.flush()
      expect(h.portal().count('approve')).toBe(failure + 1)
      await h.clock.advance(delay)
    }
    await h.outbox.flush()

    expect(delays).toEqual(
      delays.map((_, n) => Math.floor(0.999_999 * Math.min(cap, base * 2 ** n)))
    )
    expect(Math.max(...delays)).toBeLessThan(cap)
    expect(h.outbox.get(opId)).toMatchObject({ state: 'done', attempts: 10, lastError: null })
    expect(h.portal().approvals.get('r1')).toBe(1)
  })

  it('draws each delay from [0, window) with the injected random source', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1'] } },
      deps: { random: () => 0, backoff: { baseMs: base, capMs: cap } }
    })
    h.portal().inject('approve', 'server-error')
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(Date.parse(h.outbox.get(opId)!.nextAttemptAt!)).toBe(h.clock.now())
  })

  it('honours Retry-After on a 429 and pauses the rest of that flush', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2', 'r3'] } },
      deps: { concurrency: 1, random: () => 0 }
    })
    h.portal().inject('approve', 'rate-limited', { requestId: 'r1' })
    h.outbox.enqueueMany([approve('r1'), approve('r2'), approve('r3')])
    await h.outbox.flush()

    const resumeAt = new Date(h.clock.now() + 30_000).toISOString()
    expect(h.portal().count('approve')).toBe(1)
    expect(h.outbox.list().map((item) => [item.state, item.nextAttemptAt, item.attempts])).toEqual([
      ['queued', resumeAt, 1],
      ['queued', resumeAt, 0],
      ['queued', resumeAt, 0]
    ])
    expect(h.outbox.nextWakeAt()).toBe(h.clock.now() + 30_000)
    await h.clock.advance(30_000)
    await h.outbox.flush()
    expect(h.outbox.list().map((item) => item.state)).toEqual(['done', 'done', 'done'])
  })

  it('backs off the whole profile once when the portal is unreachable, sending nothing', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    h.portal().inject('listRequests', 'offline', { times: 2 })
    h.outbox.enqueueMany([approve('r1'), decline('r2')])
    await h.outbox.flush()

    const [first, second] = h.outbox.list()
    expect(first).toMatchObject({ state: 'queued', attempts: 0, lastError: { code: 'OFFLINE' } })
    expect(second!.nextAttemptAt).toBe(first!.nextAttemptAt)
    expect(h.portal().count('approve') + h.portal().count('decline')).toBe(0)

    await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.portal().count('listRequests')).toBe(2)
    await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.outbox.list().map((item) => item.state)).toEqual(['done', 'done'])
  })

  it('a flush that ignores backoff (reconnect, restart) still holds items the Dashboard answered with a 5xx or 429: only Retry sends them early', async () => {
    // A minute of backoff: nothing in this test waits for it.
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2', 'r3'] } },
      deps: { random: () => 0.5, backoff: { baseMs: 120_000, capMs: 120_000 } }
    })
    h.portal().inject('approve', 'server-error', { requestId: 'r1' })
    h.portal().inject('decline', 'rate-limited', { requestId: 'r2' })
    const [held, paused] = h.outbox.enqueueMany([approve('r1'), decline('r2')])
    await h.outbox.flush()
    expect(h.portal().count('approve') + h.portal().count('decline')).toBe(2)

    for (let i = 0; i < 5; i += 1) await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.portal().count('approve')).toBe(1)
    expect(h.portal().count('decline')).toBe(1)
    expect(h.outbox.get(held!.opId)).toMatchObject({ state: 'queued', attempts: 1 })

    // An item queued behind a portal outage alone is sent at once by the same flush.
    h.portal().inject('listRequests', 'offline')
    const outage = h.outbox.enqueue(approve('r3'))
    await h.outbox.flush()
    expect(h.outbox.get(outage.opId)).toMatchObject({ state: 'queued', attempts: 0 })
    await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.outbox.get(outage.opId)?.state).toBe('done')
    expect(h.portal().count('approve', 'r1')).toBe(1)

    h.outbox.retry(held!.opId)
    await h.outbox.flush()
    expect(h.outbox.get(held!.opId)?.state).toBe('done')
    expect(h.outbox.get(paused!.opId)).toMatchObject({ state: 'queued', attempts: 1 })
  })

  it('fails a non-transient 4xx with its reason, and Retry sends it again', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('approve', 'bad-request')
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(h.outbox.get(opId)).toMatchObject({
      state: 'failed',
      lastError: { code: 'BAD_REQUEST' }
    })
    expect(h.problems.flat().map((item) => item.opId)).toEqual([opId])
    await h.outbox.flush()
    expect(h.portal().count('approve')).toBe(1)

    h.outbox.retry(opId)
    expect(h.outbox.get(opId)).toMatchObject({ state: 'queued', lastError: null })
    await h.outbox.flush()
    expect(h.outbox.get(opId)).toMatchObject({ state: 'done', attempts: 2 })
  })
})

describe('Outbox needs-auth parking', () => {
  it('parks every queued item of the profile on a 401, leaves other profiles alone, and resumes on requeue', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2', 'r3'] }, p2: { pending: ['s1'] } },
      deps: { concurrency: 1 }
    })
    h.portal('p1').inject('approve', 'auth')
    h.outbox.enqueueMany([approve('r1'), approve('r2'), decline('r3'), approve('s1', 'p2')])
    await h.outbox.flush()

    const p1 = h.outbox.list().filter((item) => item.profileId === 'p1')
    expect(p1.map((item) => item.state)).toEqual(['needs-auth', 'needs-auth', 'needs-auth'])
    expect(p1.every((item) => item.lastError?.code === 'AUTH_REJECTED')).toBe(true)
    expect(h.portal('p1').count('approve')).toBe(1)
    expect(h.byRequest('s1').state).toBe('done')
    expect(h.problems.flat().filter((item) => item.state === 'needs-auth')).toHaveLength(3)
    expect(h.outbox.nextWakeAt()).toBeNull()

    // Parked items stay parked until the secret is fixed.
    await h.outbox.flush()
    expect(h.portal('p1').count('approve')).toBe(1)

    expect(h.outbox.requeueProfile('p1')).toBe(3)
    await h.outbox.flush()
    expect(h.outbox.list().map((item) => item.state)).toEqual(['done', 'done', 'done', 'done'])
  })

  it('parks items that are waiting out a backoff too, and Retry on one re-queues the profile', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    h.portal().inject('approve', 'server-error', { requestId: 'r1' })
    h.outbox.enqueueMany([approve('r1')])
    await h.outbox.flush()
    expect(h.byRequest('r1').state).toBe('queued')

    h.portal().inject('listRequests', 'forbidden')
    const second = h.outbox.enqueue(approve('r2'))
    await h.outbox.flush('p1')
    expect(h.outbox.list().map((item) => [item.state, item.lastError?.code])).toEqual([
      ['needs-auth', 'FORBIDDEN'],
      ['needs-auth', 'FORBIDDEN']
    ])

    h.outbox.retry(second.opId)
    expect(h.outbox.list().map((item) => item.state)).toEqual(['queued', 'queued'])
    await h.outbox.flush()
    expect(h.outbox.list().map((item) => item.state)).toEqual(['done', 'done'])
  })

  it('parks the profile when no client can be made (no keychain), and backs off when it is transient', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.clientFailures.set(
      'p1',
      new AppFailure('KEYCHAIN_UNAVAILABLE', 'No keychain answered: install gnome-keyring.')
    )
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(h.outbox.get(opId)).toMatchObject({
      state: 'needs-auth',
      lastError: { code: 'KEYCHAIN_UNAVAILABLE' }
    })

    h.clientFailures.set('p1', new AppFailure('TIMEOUT', 'Keychain did not answer in time.', true))
    h.outbox.requeueProfile('p1')
    await h.outbox.flush()
    expect(h.outbox.get(opId)).toMatchObject({ state: 'queued', lastError: { code: 'TIMEOUT' } })

    h.clientFailures.delete('p1')
    await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.outbox.get(opId)!.state).toBe('done')
  })
})

describe('Outbox unknown outcomes: never a blind second approve', () => {
  it('an approve applied but whose reply was lost ends done, key lost, approved once', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('approve', 'lost-after-commit')
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()

    const item = h.outbox.get(opId)!
    expect(item).toMatchObject({
      state: 'done',
      resolution: { reason: 'response-lost' },
      attempts: 1
    })
    expect(item.lastError).toMatchObject({ code: 'TIMEOUT', retryable: false })
    expect(item.lastError!.message).toMatch(
      /reply carrying the key was lost.*did not approve it a second time/
    )
    expect(h.portal().count('approve')).toBe(1)
    expect(h.portal().approvals.get('r1')).toBe(1)
    expect(h.credentials).toHaveLength(0)
    await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.portal().count('approve')).toBe(1)
  })

  it('an approve whose outcome is unknown and whose request is then removed says a key may exist', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('approve', 'lost-after-commit')
    const { opId } = h.outbox.enqueue({
      ...approve('r1'),
      label: { developerEmail: 'dev@example.com', catalogueName: 'Gold' }
    })
    // Another admin deletes the request between Keygate's lost approve and its re-read.
    h.portal().beforeCall = (call) => {
      if (call.method !== 'approve' && h.portal().approvals.has('r1'))
        h.portal().states.delete('r1')
    }
    await h.outbox.flush()

    const item = h.outbox.get(opId)!
    expect(item).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'removed-outcome-unknown' },
      lastError: { code: 'CONFLICT', retryable: false }
    })
    expect(item.lastError!.message).toMatch(/cannot tell whether its approval reached/)
    expect(item.lastError!.message).toMatch(/dev@example\.com.*Gold/)
    expect(h.portal().approvals.get('r1')).toBe(1)
  })

  it('an approve that did not land waits out the grace period, re-reads, then sends once more', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1'] } },
      deps: { reconcileGraceMs: 15_000 }
    })
    h.portal().inject('approve', 'lost-before-commit')
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()

    const waiting = h.outbox.get(opId)!
    expect(waiting).toMatchObject({ state: 'sending', attempts: 1, lastError: { code: 'TIMEOUT' } })
    expect(waiting.lastError!.message).toMatch(/never sends it twice/)
    expect(Date.parse(waiting.nextAttemptAt!)).toBe(h.clock.now() + 15_000)
    expect(h.portal().count('getRequest', 'r1')).toBe(1)
    expect(() => h.outbox.cancel(opId)).toThrow(/Only queued actions/)

    // Even a forced flush before the grace period ends re-reads but does not send.
    await h.clock.advance(10_000)
    await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.portal().count('approve')).toBe(1)
    expect(h.outbox.get(opId)!.state).toBe('sending')

    await h.clock.advance(5_000)
    await h.outbox.flush()
    expect(h.portal().count('approve')).toBe(2)
    expect(h.outbox.get(opId)).toMatchObject({
      state: 'done',
      resolution: null,
      lastError: null,
      attempts: 2
    })
    expect(h.portal().approvals.get('r1')).toBe(1)
    expect(h.credentials).toHaveLength(1)
  })

  it('an unknown-outcome approve of a request a rival deletes meanwhile ends as a conflict that may hide a key', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('approve', 'lost-before-commit')
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    h.portal().states.delete('r1')
    await h.clock.advance(15_000)
    await h.outbox.flush()
    // Nothing landed here, but Keygate cannot know that: it says a key may exist.
    expect(h.outbox.get(opId)).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'removed-outcome-unknown' }
    })
    expect(h.outbox.get(opId)!.lastError!.message).toMatch(/did not send it again/)
    expect(h.portal().count('approve')).toBe(1)
  })

  it('a decline whose outcome is unknown and whose request is gone is done', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('decline', 'lost-after-commit')
    const { opId } = h.outbox.enqueue(decline('r1'))
    await h.outbox.flush()
    expect(h.outbox.get(opId)).toMatchObject({ state: 'done', resolution: null, lastError: null })
    expect(h.portal().count('decline')).toBe(1)
  })

  it('a decline whose outcome is unknown never deletes a request approved meanwhile', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('decline', 'lost-before-commit')
    const { opId } = h.outbox.enqueue(decline('r1'))
    await h.outbox.flush()
    h.portal().states.set('r1', 'approved')
    await h.clock.advance(15_000)
    await h.outbox.flush()
    expect(h.outbox.get(opId)).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'approved-elsewhere' }
    })
    expect(h.portal().count('decline')).toBe(1)
    expect(h.portal().deletesOfApproved).toBe(0)
  })

  it('an unreadable reply to an approve that was applied counts as a lost reply', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.portal().inject('approve', 'garbled-after-commit')
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(h.outbox.get(opId)).toMatchObject({
      state: 'done',
      resolution: { reason: 'response-lost' },
      lastError: { code: 'INVALID_RESPONSE' }
    })
    expect(h.outbox.get(opId)!.lastError!.message).toMatch(
      /key was lost \(The Dashboard sent a page/
    )
  })

  it('an unexpected error re-reads first: failed if nothing was applied, done-and-lost if it was', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    h.portal().inject('approve', 'crash', { requestId: 'r1' })
    h.portal().inject('approve', 'crash-after-commit', { requestId: 'r2' })
    h.outbox.enqueueMany([approve('r1'), approve('r2')])
    await h.outbox.flush()

    expect(h.byRequest('r1')).toMatchObject({ state: 'failed', lastError: { code: 'INTERNAL' } })
    expect(h.byRequest('r1').lastError!.message).toMatch(/still pending, so nothing was applied/)
    expect(h.byRequest('r2')).toMatchObject({
      state: 'done',
      resolution: { reason: 'response-lost' }
    })

    // Retrying the failed one still respects the grace period of its uncertain first call.
    h.outbox.retry(h.byRequest('r1').opId)
    expect(() => h.outbox.cancel(h.byRequest('r1').opId)).toThrow(/may have reached the Dashboard/)
    await h.outbox.flush()
    expect(h.portal().count('approve', 'r1')).toBe(1)
    await h.clock.advance(15_000)
    await h.outbox.flush()
    expect(h.byRequest('r1').state).toBe('done')
    expect(h.portal().approvals.get('r1')).toBe(1)
  })

  it('keeps re-checking with backoff when the re-read itself fails, and never resends meanwhile', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } }, deps: { random: () => 0.5 } })
    h.portal().inject('approve', 'lost-after-commit')
    h.portal().inject('getRequest', 'offline')
    const { opId } = h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(h.outbox.get(opId)).toMatchObject({ state: 'sending', lastError: { code: 'TIMEOUT' } })
    expect(Date.parse(h.outbox.get(opId)!.nextAttemptAt!)).toBe(h.clock.now() + 500)

    await h.clock.advance(500)
    await h.outbox.flush()
    expect(h.outbox.get(opId)).toMatchObject({
      state: 'done',
      resolution: { reason: 'response-lost' }
    })
    expect(h.portal().count('approve')).toBe(1)
  })
})
