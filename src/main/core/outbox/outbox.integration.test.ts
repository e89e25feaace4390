import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../../emulator/index'
import type { IssuedCredential, OutboxItem } from '../../../shared/domain'
import { createNodeTransport } from '../http/node-transport'
import type { KeyValueStore } from '../ports'
import { systemClock } from '../ports'
import type { PortalClient } from '../portal/portal-client'
import { createTykClassicClient } from '../portal/tyk-classic/tyk-classic-client'
import { createConfStoreFactory } from '../storage/conf-store'
import { Outbox } from './outbox'
import type { EnqueueInput } from './outbox-types'

const SECRET = 'outbox-integration-secret'
const finalStates = new Set(['done', 'conflict', 'failed', 'cancelled'])

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

/**
 * The production conf store on `dir`, opened afresh as a new process would; a killed one writes
 * nothing more, while its last writes stay in the file.
 */
function confStore(dir: string, isDead: () => boolean): KeyValueStore {
  const store = createConfStoreFactory(dir)('outbox')
  return {
    get: <T>(key: string) => store.get<T>(key),
    set: (key, value) => {
      if (!isDead()) store.set(key, value)
    },
    delete: (key) => store.delete(key),
    keys: () => store.keys()
  }
}

/** After a kill nothing more leaves the process; calls already on the wire still land. */
function killable(client: PortalClient, isDead: () => boolean): PortalClient {
  const gate =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      isDead() ? Promise.reject(new Error('process killed')) : call(...args)
  return {
    listRequests: gate(client.listRequests.bind(client)),
    getRequest: gate(client.getRequest.bind(client)),
    approve: gate(client.approve.bind(client)),
    decline: gate(client.decline.bind(client)),
    createRequest: gate(client.createRequest.bind(client)),
    listDevelopers: gate(client.listDevelopers.bind(client)),
    listPolicies: gate(client.listPolicies.bind(client))
  }
}

async function emulator(pending: number, seed: number): Promise<RunningEmulator> {
  const emu = await startEmulator({
    port: 0,
    secret: SECRET,
    seed,
    seedPending: pending,
    seedApproved: 0,
    switches: { guardDoubleApprove: false }
  })
  cleanup.push(() => emu.close())
  return emu
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-outbox-'))
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A real Outbox: conf store, real clock, the Tyk Classic client over node:http. */
function realOutbox(
  emu: RunningEmulator,
  dir: string,
  options: { secret?: () => string; graceMs?: number } = {}
) {
  let dead = false
  const isDead = (): boolean => dead
  const store = confStore(dir, isDead)
  const transport = createNodeTransport()
  const clients = new Map<string, PortalClient>()
  const secret = options.secret ?? (() => SECRET)
  let seed = 42
  const outbox = new Outbox({
    store,
    clock: systemClock,
    random: () => {
      seed = (seed * 16_807) % 2_147_483_647
      return (seed - 1) / 2_147_483_646
    },
    backoff: { baseMs: 20, capMs: 200 },
    reconcileGraceMs: options.graceMs ?? 300,
    clientFor: async (profileId) => {
      const key = `${profileId}:${secret()}`
      let client = clients.get(key)
      if (!client) {
        client = createTykClassicClient({
          profile: { id: profileId, baseUrl: emu.url, customCa: null, pinnedSha256: null },
          secret: secret(),
          transport,
          timeoutMs: 2_000
        })
        clients.set(key, client)
      }
      return killable(client, isDead)
    }
  })
  const credentials = new Map<string, IssuedCredential[]>()
  outbox.onCredential((item, credential) =>
    credentials.set(item.requestId, [...(credentials.get(item.requestId) ?? []), credential])
  )
  cleanup.push(() => outbox.stop())
  const kill = (): void => {
    dead = true
  }
  return { outbox, credentials, kill, file: path.join(dir, 'outbox.json') }
}

/** Flushes (sleeping out backoffs on the real clock) until every item is final. */
async function drain(outbox: Outbox, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    await outbox.flush()
    const active = outbox.list().filter((item) => !finalStates.has(item.state))
    if (active.length === 0) return
    if (active.every((item) => item.state === 'needs-auth')) return
    if (Date.now() > deadline) {
      throw new Error(
        `Not settled: ${JSON.stringify(active.map((item) => [item.state, item.lastError]))}`
      )
    }
    const wake = outbox.nextWakeAt() ?? Date.now() + 20
    await sleep(Math.min(250, Math.max(5, wake - Date.now())))
  }
}

const actionsFor = (ids: string[]): EnqueueInput[] =>
  ids.map((requestId, n) => ({
    profileId: 'prod',
    requestId,
    kind: n % 3 === 2 ? 'decline' : 'approve',
    reason: n % 3 === 2 ? 'not a real team' : null
  }))

/**
 * The outbox invariants (docs/architecture.md#reconciliation), checked against the emulator's
 * own records: nothing approved
 * twice, no DELETE of an approved request, every item final and explained, and each outcome
 * matching what the Dashboard now shows.
 */
function expectInvariants(
  emu: RunningEmulator,
  items: OutboxItem[],
  credentials: Map<string, IssuedCredential[]>,
  file: string
): void {
  const stats = emu.control.stats()
  expect(Object.entries(stats.approvals).filter(([, count]) => count > 1)).toEqual([])
  expect(stats.deletesOfApproved).toBe(0)
  const approved = new Set(emu.control.requestIds({ approved: true }))
  const pending = new Set(emu.control.requestIds({ approved: false }))
  for (const item of items) {
    expect(finalStates.has(item.state), `${item.requestId} ${item.state}`).toBe(true)
    if (item.state !== 'done' || item.resolution)
      expect(item.lastError ?? item.resolution).not.toBeNull()
    if (item.state === 'conflict' || item.state === 'failed')
      expect(item.lastError!.message.length).toBeGreaterThan(20)
    if (item.state === 'done' && item.kind === 'approve') {
      expect(approved.has(item.requestId)).toBe(true)
      const delivered = credentials.get(item.requestId) ?? []
      expect(delivered).toHaveLength(item.resolution?.reason === 'response-lost' ? 0 : 1)
    }
    if (item.state === 'done' && item.kind === 'decline') {
      expect(approved.has(item.requestId) || pending.has(item.requestId)).toBe(false)
    }
  }
  const text = readFileSync(file, 'utf8')
  for (const list of credentials.values()) {
    for (const credential of list) {
      if (credential.kind === 'key') expect(text).not.toContain(credential.rawKey)
    }
  }
}

describe('Outbox against the emulator over HTTP', () => {
  it('replays through 5xx answers until every action is applied once', async () => {
    const emu = await emulator(18, 11)
    const dir = tempDir()
    const { outbox, credentials, file } = realOutbox(emu, dir)
    const ids = emu.control.requestIds({ approved: false })
    outbox.enqueueMany(actionsFor(ids))
    emu.control.setFaults({ errorRate: 0.5, errorStatus: 503 })
    await drain(outbox)

    const items = outbox.list()
    expect(items.every((item) => item.state === 'done')).toBe(true)
    expect(items.some((item) => item.attempts > 1)).toBe(true)
    expectInvariants(emu, items, credentials, file)
    expect(emu.control.stats().pending).toBe(0)
  })

  it('honours Retry-After on 429 answers', async () => {
    const emu = await emulator(3, 12)
    const { outbox, credentials, file } = realOutbox(emu, tempDir())
    const ids = emu.control.requestIds({ approved: false })
    outbox.enqueueMany(actionsFor(ids))
    emu.control.setFaults({ errorRate: 1, errorStatus: 429, retryAfterSec: 1 })
    await outbox.flush()
    const waiting = outbox.list()
    expect(waiting.every((item) => item.lastError?.code === 'RATE_LIMITED')).toBe(true)
    const now = Date.now()
    expect(waiting.every((item) => Date.parse(item.nextAttemptAt!) >= now + 500)).toBe(true)
    emu.control.clearFaults()
    await drain(outbox)
    expectInvariants(emu, outbox.list(), credentials, file)
  })

  it('survives dropped connections without approving anything twice', async () => {
    const emu = await emulator(18, 13)
    const { outbox, credentials, file } = realOutbox(emu, tempDir())
    outbox.enqueueMany(actionsFor(emu.control.requestIds({ approved: false })))
    emu.control.setFaults({ dropRate: 0.4 })
    await drain(outbox)

    const items = outbox.list()
    expect(items.every((item) => item.state === 'done' && item.resolution === null)).toBe(true)
    expect(items.some((item) => item.attempts > 1)).toBe(true)
    expectInvariants(emu, items, credentials, file)
  })

  it('reconciles drop-after-commit: applied approvals end done with the key reported lost', async () => {
    const emu = await emulator(18, 14)
    const { outbox, credentials, file } = realOutbox(emu, tempDir())
    outbox.enqueueMany(actionsFor(emu.control.requestIds({ approved: false })))
    emu.control.setFaults({ dropAfterCommitRate: 0.5 })
    await drain(outbox)

    const items = outbox.list()
    expect(items.every((item) => item.state === 'done')).toBe(true)
    const lost = items.filter((item) => item.resolution?.reason === 'response-lost')
    expect(lost.length).toBeGreaterThan(0)
    expect(
      lost.every((item) => /reply carrying the key was lost/.test(item.lastError!.message))
    ).toBe(true)
    expectInvariants(emu, items, credentials, file)
    expect(emu.control.stats().pending).toBe(0)
  })

  it('queues while the portal is offline and sends everything once it is back', async () => {
    const emu = await emulator(9, 15)
    const { outbox, credentials, file } = realOutbox(emu, tempDir())
    emu.control.setFaults({ offline: true })
    const before = emu.control.stats().requests
    outbox.enqueueMany(actionsFor(emu.control.requestIds({ approved: false })))
    await outbox.flush()
    await outbox.flush(undefined, { ignoreBackoff: true })

    const queued = outbox.list()
    expect(
      queued.every((item) => item.state === 'queued' && item.lastError?.code === 'OFFLINE')
    ).toBe(true)
    expect(queued.every((item) => item.attempts === 0)).toBe(true)
    expect(emu.control.stats().requests).toBe(before)

    emu.control.setFaults({ offline: false })
    await drain(outbox)
    expect(outbox.list().every((item) => item.state === 'done')).toBe(true)
    expectInvariants(emu, outbox.list(), credentials, file)
  })

  it('parks the profile on 401 and resumes when the secret is fixed', async () => {
    const emu = await emulator(6, 16)
    let secret = 'a-rotated-secret'
    const { outbox, credentials, file } = realOutbox(emu, tempDir(), { secret: () => secret })
    outbox.enqueueMany(actionsFor(emu.control.requestIds({ approved: false })))
    await drain(outbox)

    const parked = outbox.list()
    expect(parked.every((item) => item.state === 'needs-auth')).toBe(true)
    expect(parked[0]!.lastError).toMatchObject({ code: 'AUTH_REJECTED' })
    expect(emu.control.stats().pending).toBe(6)

    secret = SECRET
    expect(outbox.requeueProfile('prod')).toBe(6)
    await drain(outbox)
    expect(outbox.list().every((item) => item.state === 'done')).toBe(true)
    expectInvariants(emu, outbox.list(), credentials, file)
  })

  it('parks on an authFail Dashboard too (every call answers 401)', async () => {
    const emu = await emulator(3, 17)
    const { outbox } = realOutbox(emu, tempDir())
    emu.control.setFaults({ authFail: true })
    outbox.enqueueMany(actionsFor(emu.control.requestIds({ approved: false })))
    await drain(outbox)
    expect(outbox.list().every((item) => item.state === 'needs-auth')).toBe(true)
    emu.control.clearFaults()
    outbox.requeueProfile('prod')
    await drain(outbox)
    expect(outbox.list().every((item) => item.state === 'done')).toBe(true)
  })

  it('lets a rival admin’s decision win, shows the conflict, and never deletes an approved request', async () => {
    const emu = await emulator(12, 18)
    const { outbox, credentials, file } = realOutbox(emu, tempDir())
    const ids = emu.control.requestIds({ approved: false })
    outbox.enqueueMany(actionsFor(ids))
    // Rival approvals on two approves and one decline; rival deletes on one of each.
    const [a0, a1, d2, , , d5, a6, , d8] = ids
    for (const id of [a0!, a1!, d2!]) expect(emu.control.approveDirectly(id).status).toBe(200)
    for (const id of [a6!, d5!]) expect(emu.control.deleteDirectly(id)).toBe(true)
    await drain(outbox)

    const byId = new Map(outbox.list().map((item) => [item.requestId, item]))
    expect(byId.get(a0!)).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'approved-elsewhere' }
    })
    expect(byId.get(a1!)).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'approved-elsewhere' }
    })
    expect(byId.get(d2!)).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'approved-elsewhere' }
    })
    expect(byId.get(a6!)).toMatchObject({
      state: 'conflict',
      resolution: { reason: 'removed-elsewhere' }
    })
    expect(byId.get(d5!)).toMatchObject({
      state: 'done',
      resolution: { reason: 'already-removed' }
    })
    expect(byId.get(d8!)).toMatchObject({ state: 'done', resolution: null })
    expectInvariants(emu, outbox.list(), credentials, file)
    expect(emu.control.stats().approvals[a0!]).toBe(1)
  })

  it('a new Outbox on the same file after a kill mid-flush reconciles and approves nothing twice', async () => {
    const emu = await emulator(10, 19)
    const dir = tempDir()
    const first = realOutbox(emu, dir)
    first.outbox.enqueueMany(actionsFor(emu.control.requestIds({ approved: false })))
    emu.control.setFaults({ latencyMs: 800 })
    const dying = first.outbox.flush()
    const onDisk = (): OutboxItem[] =>
      (JSON.parse(readFileSync(first.file, 'utf8')) as { items: OutboxItem[] }).items
    for (
      let turn = 0;
      turn < 400 && !onDisk().some((item) => item.state === 'sending');
      turn += 1
    ) {
      await sleep(5)
    }
    expect(onDisk().some((item) => item.state === 'sending')).toBe(true)
    // Let its first calls reach the Dashboard, where they wait out the latency.
    await sleep(150)
    // The first process dies: nothing more reaches its file or the wire; calls sent still land.
    first.kill()
    // The new process's reads now overtake the dead one's calls still waiting on the Dashboard:
    // only the grace period keeps it from approving those requests a second time.
    emu.control.clearFaults()

    const second = realOutbox(emu, dir, { graceMs: 1_500 })
    await second.outbox.recover()
    await drain(second.outbox)
    await dying

    const items = second.outbox.list()
    expectInvariants(emu, items, second.credentials, second.file)
    const lost = items.filter((item) => item.resolution?.reason === 'response-lost')
    expect(lost.length).toBeGreaterThan(0)
    // No rival acted: an approval that landed late from the dead process must not be mistaken
    // for another admin's (the grace period keeps the new process from acting on it too early).
    expect(items.filter((item) => item.resolution?.reason === 'approved-elsewhere')).toEqual([])
    expect(emu.control.stats().pending).toBe(0)

    const third = realOutbox(emu, dir)
    expect(third.outbox.list()).toEqual(items)
  })
})
