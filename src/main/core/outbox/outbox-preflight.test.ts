import { describe, expect, it } from 'vitest'
import { until } from '../testing/fake-clock'
import { approve, createHarness, decline } from './testing/harness'

describe('Outbox pre-flight and first decision wins', () => {
  it('sends an approve and a decline for pending requests and hands the key only to listeners', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    const [a, d] = h.outbox.enqueueMany([approve('r1'), decline('r2', 'p1', 'duplicate')])
    await h.outbox.flush()

    expect(h.outbox.get(a!.opId)).toMatchObject({
      state: 'done',
      attempts: 1,
      lastError: null,
      resolution: null
    })
    expect(h.outbox.get(d!.opId)).toMatchObject({ state: 'done', attempts: 1, reason: 'duplicate' })
    expect(h.portal().approvals.get('r1')).toBe(1)
    expect(h.portal().states.has('r2')).toBe(false)
    expect(h.credentials).toHaveLength(1)
    expect(h.credentials[0]!.credential).toEqual({ kind: 'key', rawKey: 'raw-key-r1-secret' })
    expect(h.credentials[0]!.item).toMatchObject({ opId: a!.opId, state: 'done' })
    expect(h.store.dump()).not.toContain('raw-key-r1-secret')
    expect(h.logs.join('\n')).not.toContain('raw-key-r1-secret')
  })

  it('reads the pending list once per flush and GETs only the requests missing from it', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2', 'r3'], approved: ['r4', 'r5'] } }
    })
    h.outbox.enqueueMany([
      approve('r1'),
      approve('r2'),
      decline('r3'),
      approve('r4'),
      decline('r5'),
      decline('r6'),
      approve('r7')
    ])
    await h.outbox.flush()

    const portal = h.portal()
    expect(portal.count('listRequests')).toBe(1)
    expect(
      portal.calls
        .filter((call) => call.method === 'getRequest')
        .map((call) => call.requestId)
        .sort()
    ).toEqual(['r4', 'r5', 'r6', 'r7'])
    expect(portal.count('approve')).toBe(2)
    expect(portal.count('decline')).toBe(1)
    expect(portal.deletesOfApproved).toBe(0)
    expect(h.byRequest('r4')).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'approved-elsewhere' }
    })
    expect(h.byRequest('r4').lastError?.message).toMatch(/Already approved.*Nothing was sent/)
    expect(h.byRequest('r5')).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'approved-elsewhere' }
    })
    expect(h.byRequest('r5').lastError?.message).toMatch(/never deletes an approved request/)
    expect(h.byRequest('r6')).toMatchObject({
      state: 'done',
      resolution: { reason: 'already-removed' }
    })
    expect(h.byRequest('r7')).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'removed-elsewhere' }
    })
    expect(h.byRequest('r4').attempts).toBe(0)
  })

  it('settles each request missing from the list by a GET when the list cannot be read', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'], approved: ['r2'] } } })
    h.portal().inject('listRequests', 'invalid')
    h.outbox.enqueueMany([approve('r1'), approve('r2')])
    await h.outbox.flush()

    expect(h.portal().count('getRequest')).toBe(2)
    expect(h.byRequest('r1').state).toBe('done')
    expect(h.byRequest('r2').state).toBe('conflict')
  })

  it('treats an approve the Dashboard answers "already processed" as approved elsewhere', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.outbox.enqueue(approve('r1'))
    // A rival admin approves between the pre-flight read and our call.
    h.portal().beforeCall = (call) => {
      if (call.method === 'approve') h.portal().states.set('r1', 'approved')
    }
    await h.outbox.flush()

    expect(h.byRequest('r1')).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'approved-elsewhere' }
    })
    expect(h.byRequest('r1').lastError?.message).toMatch(/Dashboard refused it/)
    expect(h.credentials).toHaveLength(0)
  })

  it('reports a request removed between pre-flight and send: conflict for approve, done for decline', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1', 'r2'] } } })
    h.outbox.enqueueMany([approve('r1'), decline('r2')])
    h.portal().beforeCall = (call) => {
      if (call.method === 'approve' || call.method === 'decline')
        h.portal().states.delete(call.requestId!)
    }
    await h.outbox.flush()

    expect(h.byRequest('r1')).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'removed-elsewhere' }
    })
    expect(h.byRequest('r2')).toMatchObject({
      state: 'done',
      resolution: { reason: 'already-removed' }
    })
  })

  it('re-reads the pending list when a long flush outlives preflightMaxAgeMs', async () => {
    const ids = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']
    const h = createHarness({
      profiles: { p1: { pending: ids } },
      deps: { concurrency: 1, batchSize: 2, preflightMaxAgeMs: 5_000 }
    })
    h.outbox.enqueueMany(ids.map((id) => approve(id)))
    let approvals = 0
    h.portal().beforeCall = (call) => {
      if (call.method !== 'approve') return
      h.clock.skip(2_000)
      approvals += 1
      // A rival approves r6 while the replay is busy with r3.
      if (approvals === 3) h.portal().states.set('r6', 'approved')
    }
    await h.outbox.flush()

    expect(h.portal().count('listRequests')).toBeGreaterThan(1)
    expect(h.portal().count('approve', 'r6')).toBe(0)
    expect(h.byRequest('r6')).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'approved-elsewhere' }
    })
    expect(ids.slice(0, 5).map((id) => h.byRequest(id).state)).toEqual(Array(5).fill('done'))
  })

  it('reads the pending list once more only when it is older than preflightMaxAgeMs, not when exactly that old', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2'] } },
      deps: { concurrency: 1, batchSize: 1, preflightMaxAgeMs: 2_000 }
    })
    h.outbox.enqueueMany([approve('r1'), approve('r2')])
    h.portal().beforeCall = (call) => {
      if (call.method === 'approve' && call.requestId === 'r1') h.clock.skip(2_000)
    }
    await h.outbox.flush()
    expect(h.portal().calls.map((call) => call.method)).toEqual([
      'listRequests',
      'approve',
      'approve'
    ])
  })

  it("a 429 on one request's pre-flight read holds that item alone; the others are sent", async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r2'], approved: ['r1'] } } })
    h.portal().inject('getRequest', 'rate-limited', { requestId: 'r1' })
    const [limited, sent] = h.outbox.enqueueMany([approve('r1'), approve('r2')])
    await h.outbox.flush()
    expect(h.outbox.get(limited!.opId)).toMatchObject({
      state: 'queued',
      attempts: 0,
      nextAttemptAt: new Date(h.clock.now() + 30_000).toISOString(),
      lastError: { code: 'RATE_LIMITED' }
    })
    expect(h.outbox.get(sent!.opId)!.state).toBe('done')
  })

  it('an item cancelled while its pre-flight read is out stays cancelled, whatever the read says', async () => {
    const h = createHarness({ profiles: { p1: { approved: ['r1'] } } })
    const release = h.portal().hold('getRequest', 'r1')
    const { opId } = h.outbox.enqueue(approve('r1'))
    const flushing = h.outbox.flush()
    await until(() => h.portal().inFlight === 1)
    h.outbox.cancel(opId)
    release()
    await flushing
    expect(h.outbox.get(opId)).toMatchObject({ state: 'cancelled', resolution: null })
    expect(h.problems).toEqual([])
  })

  it('a pre-flight read that took longer than preflightMaxAgeMs is read again, for the items still to send only', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r3'], approved: ['r2'] } },
      deps: { preflightMaxAgeMs: 1_000 }
    })
    // r3's call may have landed: it waits out its grace, unsent.
    h.portal().inject('approve', 'lost-before-commit', { requestId: 'r3' })
    h.outbox.enqueue(approve('r3'))
    await h.outbox.flush()
    h.portal().calls.length = 0

    h.outbox.enqueueMany([approve('r1'), approve('r2')])
    h.portal().beforeCall = (call) => {
      if (call.method === 'listRequests' && h.portal().count('listRequests') === 1)
        h.clock.skip(1_001)
    }
    await h.outbox.flush(undefined, { ignoreBackoff: true })
    expect(h.portal().calls).toEqual([
      { method: 'listRequests', requestId: null },
      { method: 'getRequest', requestId: 'r2' },
      { method: 'getRequest', requestId: 'r1' },
      { method: 'approve', requestId: 'r1' }
    ])
    expect(h.outbox.list().map((item) => item.state)).toEqual(['sending', 'done', 'conflict'])
  })

  it('a pre-flight read that took longer than preflightMaxAgeMs and failed sends nothing more', async () => {
    const h = createHarness({
      profiles: { p1: { pending: ['r1', 'r2'] } },
      deps: { preflightMaxAgeMs: 1_000 }
    })
    h.portal().inject('listRequests', 'offline')
    h.portal().beforeCall = () => h.clock.skip(1_001)
    h.outbox.enqueueMany([approve('r1'), approve('r2')])
    await h.outbox.flush()
    expect(h.portal().calls.map((call) => call.method)).toEqual(['listRequests'])
  })
})
