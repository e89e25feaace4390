import { describe, expect, it } from 'vitest'
import type { OutboxItem } from '../../../shared/domain'
import { until } from '../testing/fake-clock'
import { approve, createHarness, decline } from './testing/harness'

describe('Outbox ordering and concurrency', () => {
  it('runs two actions on one request strictly in order: decline then approve ends as removed', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    const release = h.portal().hold('decline', 'r1')
    h.outbox.enqueueMany([decline('r1'), approve('r1'), approve('r2')])
    const flushing = h.outbox.flush()
    await until(() => h.byRequest('r2').state === 'done')

    // While the decline is in flight nothing else touches r1.
    expect(h.portal().count('approve', 'r1')).toBe(0)
    expect(h.byRequest('r1', 'approve').state).toBe('queued')
    release()
    await flushing

    expect(h.byRequest('r1', 'decline').state).toBe('done')
    expect(h.byRequest('r1', 'approve')).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'removed-elsewhere' }
    })
    expect(h.portal().count('approve', 'r1')).toBe(0)
    expect(h.portal().overlaps).toBe(0)
  })

  it('approve then decline of one request: the decline never deletes the approved request', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.outbox.enqueueMany([approve('r1'), decline('r1')])
    await h.outbox.flush()
    expect(h.byRequest('r1', 'approve').state).toBe('done')
    expect(h.byRequest('r1', 'decline')).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'approved-elsewhere' }
    })
    expect(h.portal().count('decline')).toBe(0)
    expect(h.portal().deletesOfApproved).toBe(0)
  })

  it('keeps actions behind a request that is waiting out a backoff, without blocking other requests', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    h.portal().inject('decline', 'server-error', { requestId: 'r1' })
    h.outbox.enqueueMany([decline('r1'), approve('r1'), approve('r2')])
    await h.outbox.flush()
    expect(h.byRequest('r1', 'decline').state).toBe('queued')
    expect(h.byRequest('r1', 'approve')).toMatchObject({ state: 'queued', attempts: 0 })
    expect(h.byRequest('r2').state).toBe('done')
    expect(h.outbox.nextWakeAt()).toBe(Date.parse(h.byRequest('r1', 'decline').nextAttemptAt!))
  })

  it('never has more calls in flight per profile than the concurrency bound', async () => {
    const ids = Array.from({ length: 60 }, (_, n) => `r${n}`)
    const h = createHarness({
      profiles: { p1: { pending: ids.slice(0, 30), approved: ids.slice(30, 45) } },
      deps: { concurrency: 3 }
    })
    h.outbox.enqueueMany(ids.map((id, n) => (n % 2 === 0 ? approve(id) : decline(id))))
    await h.outbox.flush()
    expect(h.portal().maxInFlight).toBe(3)
    expect(h.portal().overlaps).toBe(0)
    expect(
      h.outbox.list().every((item) => item.state !== 'queued' && item.state !== 'sending')
    ).toBe(true)
  })

  it('flushes profiles in parallel, at most maxParallelProfiles at once', async () => {
    const profiles = Object.fromEntries(
      ['a', 'b', 'c', 'd', 'e'].map((p) => [p, { pending: [`${p}1`, `${p}2`, `${p}3`] }])
    )
    const h = createHarness({ profiles, deps: { maxParallelProfiles: 2, concurrency: 2 } })
    h.outbox.enqueueMany(
      Object.keys(profiles).flatMap((p) => [
        approve(`${p}1`, p),
        approve(`${p}2`, p),
        decline(`${p}3`, p)
      ])
    )
    await h.outbox.flush()
    expect(h.tracker.maxActiveProfiles).toBe(2)
    expect(h.outbox.list().every((item) => item.state === 'done')).toBe(true)
  })

  it('one stuck call does not hold up the other items or the other profiles', async () => {
    const h = createHarness({
      profiles: {
        p1: { pending: Array.from({ length: 10 }, (_, n) => `r${n}`) },
        p2: { pending: ['s1'] }
      },
      deps: { concurrency: 2, batchSize: 3 }
    })
    const release = h.portal('p1').hold('approve', 'r0')
    h.outbox.enqueueMany([
      ...Array.from({ length: 10 }, (_, n) => approve(`r${n}`)),
      approve('s1', 'p2')
    ])
    const flushing = h.outbox.flush()
    await until(() => h.outbox.list().filter((item) => item.state === 'done').length === 10)
    expect(h.byRequest('r0').state).toBe('sending')
    release()
    await flushing
    expect(h.byRequest('r0').state).toBe('done')
  })

  it('a flush asked for while one runs is joined and runs again, picking up new items', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    const release = h.portal().hold('approve', 'r1')
    h.outbox.enqueue(approve('r1'))
    const first = h.outbox.flush('p1')
    await until(() => h.portal().count('approve') === 1)
    h.outbox.enqueue(approve('r2'))
    const second = h.outbox.flush('p1')
    release()
    await Promise.all([first, second])
    expect(h.outbox.list().map((item) => item.state)).toEqual(['done', 'done'])
    expect(h.portal().overlaps).toBe(0)
  })
})

describe('Outbox batching and durability', () => {
  it('writes the store once per batch in a 500-item flush, each item durable as sending before its call', async () => {
    const ids = Array.from({ length: 500 }, (_, n) => `r${n}`)
    const h = createHarness({
      profiles: { p1: { pending: ids.slice(0, 400), approved: ids.slice(400, 450) } },
      deps: { batchSize: 32 }
    })
    const changes: OutboxItem[][] = []
    h.outbox.onChange((items) => changes.push(items))
    h.outbox.enqueueMany(ids.map((id, n) => (n % 3 === 0 ? decline(id) : approve(id))))
    expect(h.store.writes).toBe(1)

    const notDurable: string[] = []
    h.portal().beforeCall = (call) => {
      if (call.method !== 'approve' && call.method !== 'decline') return
      const stored = h.store.get<OutboxItem[]>('items') ?? []
      const item = stored.find((entry) => entry.requestId === call.requestId)
      if (item?.state !== 'sending') notDurable.push(call.requestId!)
    }
    const before = h.store.writes
    await h.outbox.flush()
    const flushWrites = h.store.writes - before

    expect(notDurable).toEqual([])
    // 400 sends in batches of 32 (13 writes) plus the final write.
    expect(flushWrites).toBe(Math.ceil(400 / 32) + 1)
    expect(changes).toHaveLength(h.store.writes)
    const stored = h.store.get<OutboxItem[]>('items')!
    // Gone requests: declines are done (already removed), approves conflict; approved ones conflict.
    const goneDeclines = ids.slice(450).filter((_, n) => (450 + n) % 3 === 0).length
    expect(stored.filter((item) => item.state === 'done')).toHaveLength(400 + goneDeclines)
    expect(stored.filter((item) => item.state === 'conflict')).toHaveLength(100 - goneDeclines)
    expect(h.credentials).toHaveLength(ids.slice(0, 400).filter((_, n) => n % 3 !== 0).length)
  })

  it('marks 128 items sending per write by default: 3 x 500 approvals take 15 writes, each item sending on disk before its call', async () => {
    const profiles = ['p1', 'p2', 'p3']
    const ids = Array.from({ length: 500 }, (_, n) => `r${n}`)
    const h = createHarness({
      profiles: Object.fromEntries(profiles.map((id) => [id, { pending: ids }]))
    })
    h.outbox.enqueueMany(profiles.flatMap((profile) => ids.map((id) => approve(id, profile))))

    let parsedAt = -1
    let sending = new Set<string>()
    const sendingOnDisk = (): Set<string> => {
      if (parsedAt !== h.store.writes) {
        parsedAt = h.store.writes
        const stored = h.store.get<OutboxItem[]>('items') ?? []
        sending = new Set(
          stored
            .filter((item) => item.state === 'sending')
            .map((item) => `${item.profileId}/${item.requestId}`)
        )
      }
      return sending
    }
    const notDurable: string[] = []
    for (const profile of profiles) {
      h.portal(profile).beforeCall = (call) => {
        if (call.method !== 'approve') return
        const key = `${profile}/${call.requestId}`
        if (!sendingOnDisk().has(key)) notDurable.push(key)
      }
    }
    const before = h.store.writes
    await h.outbox.flush()

    expect(notDurable).toEqual([])
    // Per profile: ceil(500 / 128) = 4 batches, then the final write.
    expect(h.store.writes - before).toBe(3 * (Math.ceil(500 / 128) + 1))
    expect(h.outbox.list().every((item) => item.state === 'done')).toBe(true)
    expect(profiles.map((profile) => h.portal(profile).count('approve'))).toEqual([500, 500, 500])
  })

  it('keeps every item across a new Outbox on the same store', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    h.portal().inject('approve', 'bad-request', { requestId: 'r2' })
    h.outbox.enqueueMany([approve('r1'), approve('r2'), decline('r3', 'p1', 'spam')])
    await h.outbox.flush()
    const before = h.outbox.list()

    const again = createHarness({ store: h.store, clock: h.clock })
    expect(again.outbox.list()).toEqual(before)
    expect(h.store.dump()).not.toContain('raw-key')
  })
})
