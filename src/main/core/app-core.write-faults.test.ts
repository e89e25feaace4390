import { beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../../../emulator'
import { createNodeTransport } from './http/node-transport'
import type { HttpTransport } from './ports'
import { addProfile, firstPoll, started, waitFor, useEmulator } from './app-core.test-harness'

const emulator = useEmulator({ secret: 'write-faults-secret-9a1f', seed: 5, seedPending: 6 })
let portal: RunningEmulator
beforeEach(() => {
  portal = emulator()
})

/** The real transport, counting the approve and decline calls that go out. */
function countingTransport(): { transport: HttpTransport; writes: () => number } {
  const inner = createNodeTransport()
  let writes = 0
  const transport: HttpTransport = (request) => {
    if (request.method === 'PUT' || request.method === 'DELETE') writes += 1
    return inner(request)
  }
  return { transport, writes: () => writes }
}

/**
 * A started core whose backoff is a minute, well beyond the window the test watches: a second
 * write inside that window can only come from something that ignored the backoff.
 */
async function coreWithQueuedWrites() {
  const counting = countingTransport()
  const h = await started({
    transport: counting.transport,
    tuning: {
      actionWaitMs: 5_000,
      outbox: { backoff: { baseMs: 60_000, capMs: 60_000 }, random: () => 0.5 }
    }
  })
  const profile = await addProfile(h.core, portal, 'Portal W')
  await firstPoll(h.core, profile.id)
  const pending = await h.core.handlers['requests:list']({
    profileId: profile.id,
    status: 'pending'
  })
  return { ...h, ...counting, profile, ids: pending.items.map((r) => r.id) }
}

/** Reads the pending list a few times (each read succeeds) and answers the writes seen meanwhile. */
async function readsWhileWritesFail(
  core: Awaited<ReturnType<typeof coreWithQueuedWrites>>['core'],
  profileId: string,
  writes: () => number
): Promise<number> {
  for (let i = 0; i < 5; i += 1) {
    const view = await core.handlers['requests:list']({
      profileId,
      status: 'pending',
      refresh: true
    })
    expect(view.sources[0]?.error).toBeNull()
    // Let whatever a successful read set off run its course before the next read.
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return writes()
}

describe('AppCore when only writes fail', () => {
  it('holds each queued write to its backoff while reads succeed: a 503 on every write is not a retry storm, and stop() finishes', async () => {
    const { core, profile, ids, writes } = await coreWithQueuedWrites()
    portal.control.setFaults({ errorRate: 1, errorStatus: 503, errorMethods: ['PUT', 'DELETE'] })

    await core.handlers['requests:approve']({ profileId: profile.id, requestId: ids[0]! })
    await core.handlers['requests:decline']({ profileId: profile.id, requestId: ids[1]! })
    await waitFor('both first attempts', () => writes() >= 2)
    const afterFirst = writes()

    const total = await readsWhileWritesFail(core, profile.id, writes)
    // One attempt per action, none of them retried within its minute of backoff.
    expect(afterFirst).toBe(2)
    expect(total).toBe(2)
    const items = await core.handlers['outbox:list'](undefined)
    expect(items.map((item) => [item.state, item.attempts, item.lastError?.code])).toEqual([
      ['queued', 1, 'SERVER_ERROR'],
      ['queued', 1, 'SERVER_ERROR']
    ])
    await core.stop()
  })

  it('keeps a 429 write paused for its Retry-After while reads succeed', async () => {
    const { core, profile, ids, writes } = await coreWithQueuedWrites()
    portal.control.setFaults({
      errorRate: 1,
      errorStatus: 429,
      retryAfterSec: 3_600,
      errorMethods: ['DELETE']
    })
    await core.handlers['requests:decline']({ profileId: profile.id, requestId: ids[0]! })
    await waitFor('the first attempt', () => writes() >= 1)

    expect(await readsWhileWritesFail(core, profile.id, writes)).toBe(1)
    const [item] = await core.handlers['outbox:list'](undefined)
    expect(item).toMatchObject({
      state: 'queued',
      attempts: 1,
      lastError: { code: 'RATE_LIMITED' }
    })
    expect(Date.parse(item!.nextAttemptAt!) - Date.now()).toBeGreaterThan(3_000_000)
    await core.stop()
  })

  it('an absurd Retry-After (99999999999999 s) holds the write for a day: no storm, no "Invalid time value"', async () => {
    const { core, profile, ids, writes, lines } = await coreWithQueuedWrites()
    portal.control.setFaults({
      errorRate: 1,
      errorStatus: 429,
      retryAfterSec: 99_999_999_999_999,
      errorMethods: ['PUT']
    })
    await core.handlers['requests:approve']({ profileId: profile.id, requestId: ids[0]! })
    await waitFor('the first attempt', () => writes() >= 1)
    expect(await readsWhileWritesFail(core, profile.id, writes)).toBe(1)
    const [item] = await core.handlers['outbox:list'](undefined)
    expect(item).toMatchObject({
      state: 'queued',
      attempts: 1,
      lastError: { code: 'RATE_LIMITED' }
    })
    const wait = Date.parse(item!.nextAttemptAt!) - Date.now()
    expect(wait).toBeGreaterThan(23 * 60 * 60_000)
    expect(wait).toBeLessThanOrEqual(24 * 60 * 60_000)
    expect(lines.join('\n')).not.toMatch(/Invalid time value/)
  })

  it('a portal whose writes fail does not read as degraded while its reads answer', async () => {
    const { core, profile, ids, writes } = await coreWithQueuedWrites()
    portal.control.setFaults({ errorRate: 1, errorStatus: 500, errorMethods: ['DELETE'] })
    await core.handlers['requests:decline']({ profileId: profile.id, requestId: ids[0]! })
    await waitFor('the first attempt', () => writes() >= 1)
    await readsWhileWritesFail(core, profile.id, writes)
    const [summary] = await core.handlers['profiles:list'](undefined)
    expect(summary?.connectivity.state).toBe('online')
  })
})

describe('AppCore when an approve lands but its answer is an error', () => {
  it.each([500, 502, 504])(
    'an approve the Dashboard applied but answered %i is reported as approved with its key lost, naming who holds it and what to do',
    async (status) => {
      const counting = countingTransport()
      const { core } = await started({
        transport: counting.transport,
        tuning: {
          actionWaitMs: 5_000,
          outbox: { backoff: { baseMs: 20, capMs: 20 }, reconcileGraceMs: 0 }
        }
      })
      const profile = await addProfile(core, portal, 'Portal K')
      await firstPoll(core, profile.id)
      const pending = await core.handlers['requests:list']({
        profileId: profile.id,
        status: 'pending'
      })
      const request = pending.items.find((r) => r.catalogue?.authType === 'authToken')!
      portal.control.setFaults({
        errorAfterCommitRate: 1,
        errorStatus: status,
        errorMethods: ['PUT']
      })

      await core.handlers['requests:approve']({ profileId: profile.id, requestId: request.id })
      const item = await waitFor('the approval to settle', async () => {
        const [found] = await core.handlers['outbox:list'](undefined)
        return found && !['queued', 'sending'].includes(found.state) && found
      })
      expect(portal.control.stats().approvals[request.id]).toBe(1)
      expect(counting.writes()).toBe(1)
      expect(item).toMatchObject({ state: 'done', resolution: { reason: 'response-lost' } })
      const message = item.lastError!.message
      expect(message).toMatch(/^Approved on the Dashboard, but the reply carrying the key was lost/)
      expect(message).toContain(request.developer.email!)
      expect(message).toContain(request.catalogue!.name)
      expect(message).toMatch(/revoke/i)
      expect(message).not.toMatch(/approved elsewhere|no key was issued/i)
      expect(await core.handlers['keys:list'](undefined)).toEqual([])
    }
  )

  it('a 503 on approve is still a refusal: nothing applied, sent again after its backoff', async () => {
    const counting = countingTransport()
    const { core } = await started({
      transport: counting.transport,
      tuning: { actionWaitMs: 5_000, outbox: { backoff: { baseMs: 20, capMs: 20 } } }
    })
    const profile = await addProfile(core, portal, 'Portal K')
    await firstPoll(core, profile.id)
    const pending = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending'
    })
    const request = pending.items.find((r) => r.catalogue?.authType === 'authToken')!
    portal.control.setFaults({ errorRate: 1, errorStatus: 503, errorMethods: ['PUT'] })
    await core.handlers['requests:approve']({ profileId: profile.id, requestId: request.id })
    await waitFor('a failed attempt', () => counting.writes() >= 1)
    portal.control.clearFaults()
    const item = await waitFor('the approval to settle', async () => {
      const [found] = await core.handlers['outbox:list'](undefined)
      return found?.state === 'done' && found
    })
    expect(item.resolution).toBeNull()
    expect(portal.control.stats().approvals[request.id]).toBe(1)
  })
})
