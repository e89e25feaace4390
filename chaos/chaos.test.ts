import { afterEach, describe, expect, it } from 'vitest'
import type { DecisionLogEntry, OutboxItem, OutboxResolutionReason } from '../src/shared/domain'
import { createNodeTransport } from '../src/main/core/http/node-transport'
import { createTykClassicClient } from '../src/main/core/portal/tyk-classic/tyk-classic-client'
import { testDecisionEntry } from '../src/shared/testing/decision-entry'
import { parseChaosArgs } from './args'
import { runCrashWindow, type CrashPoint } from './crash-windows'
import { startPortals, type ChaosPortal } from './portals'
import { Rival } from './rival'
import { runChaos, type ChaosOptions } from './run-chaos'
import { summarize, type ActionRecord } from './summary'

const opened: ChaosPortal[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((portal) => portal.emu.close()))
})

/** The short seeded app run of every `npm test` (about 10 s): 80 actions on 2 portals, 2 kills. */
const shortRun = (patch: Partial<ChaosOptions>) =>
  runChaos({
    actions: 80,
    profiles: 2,
    faultRate: 0.4,
    kills: 2,
    seed: 7,
    mode: 'app',
    timeScale: 25,
    concurrency: 8,
    rivalRate: 0.08,
    quiesceMs: 60_000,
    verbose: false,
    log: () => undefined,
    ...patch
  })

describe('chaos run', () => {
  // Short enough for every `npm test` (about 10 s); `npm run chaos` runs the long version. The
  // scripted kills below hold the crash windows this random run only reaches by chance.
  it('loses nothing, approves nothing twice and deletes nothing approved through faults, a rival and kills of both kinds', async () => {
    const lines: string[] = []
    const { summary, problems, details } = await shortRun({ log: (line) => lines.push(line) })

    expect(problems).toEqual([])
    expect(summary).toMatchObject({
      actions: 80,
      lost: 0,
      doubleApprovals: 0,
      deletesOfApproved: 0
    })
    expect(summary.done + summary.conflicts + summary.failed + summary.cancelled).toBe(
      summary.items
    )
    // The run must really have been hostile, or the zeros above prove nothing.
    expect(summary.kills).toBe(2)
    expect(summary.processKills).toBe(1)
    expect(summary.faultEpochs).toBeGreaterThan(0)
    expect(summary.rivalActions).toBeGreaterThan(0)
    expect(summary.conflicts).toBeGreaterThan(0)
    expect(summary.keysIssuedByKeygate).toBeGreaterThan(0)
    expect(details.windows.offline + details.windows.auth).toBeGreaterThan(0)
    expect(lines.filter((line) => / kill at step /.test(line))).toHaveLength(2)
    expect(details.rival.approvesOfDeclinedInWindows).toBeGreaterThan(0)
  }, 120_000)
})

describe('chaos run with portal profiles deleted and added again', () => {
  // Without host faults: a delete after an outbox write the full disk refused leaves the log
  // with the state before it (queued, sending), which `npm run chaos` with deletes reports.
  it('accounts for every action of a deleted profile from its kept log, through faults, a rival and kills', async () => {
    const { summary, problems } = await shortRun({ profileDeletes: 2 })

    expect(problems).toEqual([])
    expect(summary).toMatchObject({
      lost: 0,
      doubleApprovals: 0,
      deletesOfApproved: 0,
      profileDeletes: { deletes: 2 }
    })
    // The deleted profiles had decided something, some of it still to send when they went.
    expect(summary.profileDeletes!.entries).toBeGreaterThan(0)
    expect(summary.profileDeletes!.cancelled).toBeGreaterThan(0)
  }, 120_000)
})

describe('chaos run with the machine misbehaving', () => {
  // No rival here: a request it deletes right after Keygate's approve landed, in a kill that
  // also lost the answer, leaves a key nobody can attribute, whatever the machine did.
  it('loses nothing through keychain hangs, a full disk, damaged stores and clock jumps', async () => {
    const { summary, problems } = await runChaos({
      actions: 80,
      profiles: 2,
      faultRate: 0.6,
      kills: 4,
      seed: 3,
      mode: 'app',
      timeScale: 25,
      concurrency: 8,
      rivalRate: 0,
      quiesceMs: 60_000,
      faults: 'all',
      verbose: false,
      log: () => undefined
    })

    expect(problems).toEqual([])
    expect(summary).toMatchObject({ lost: 0, doubleApprovals: 0, deletesOfApproved: 0 })
    const host = summary.hostFaults!
    expect(host.keychainHangs + host.diskFull).toBeGreaterThan(0)
    expect(host.corruptedStores).toBeGreaterThan(0)
    // Each damaged file is set aside when the next core opens it (two damages may meet one open).
    expect(host.storesSetAside).toBeGreaterThan(0)
    expect(host.storesSetAside).toBeLessThanOrEqual(host.corruptedStores)
    expect(host.clockJumps).toBeGreaterThan(0)
    expect(summary.keysIssuedByKeygate).toBeGreaterThan(0)
  }, 120_000)
})

describe('kills inside the send window, then a restart on the same files', () => {
  // Scale 10: the 15 s reconcile grace lasts 1.5 s of wall time, well past the 600 ms hold.
  const crash = (point: CrashPoint) =>
    runCrashWindow({ point, seed: 11, timeScale: 10, holdMs: 600, settleMs: 10_000 })

  it('an approve still on the wire when the core dies is not sent again: the restart waits out the grace, then finds it applied', async () => {
    expect(await crash('on-the-wire')).toMatchObject({
      onDiskWhenSent: 'sending',
      approvals: 1,
      item: { state: 'done', resolution: { reason: 'response-lost' } }
    })
  }, 30_000)

  it('an approve the Dashboard applied but the core never heard back from ends done (answer lost), not a conflict', async () => {
    expect(await crash('committed-unanswered')).toMatchObject({
      onDiskWhenSent: 'sending',
      approvals: 1,
      item: { state: 'done', resolution: { reason: 'response-lost' } }
    })
  }, 30_000)
})

const item = (
  patch: Partial<OutboxItem> & Pick<OutboxItem, 'opId' | 'requestId' | 'kind'>
): OutboxItem => ({
  profileId: 'p1',
  reason: null,
  createdAt: '2025-06-01T00:00:00.000Z',
  updatedAt: '2025-06-01T00:00:00.000Z',
  attempts: 1,
  state: 'done',
  lastError: null,
  resolution: null,
  label: { developerEmail: null, catalogueName: null },
  nextAttemptAt: null,
  sendAfter: null,
  ...patch
})

/** One emulated portal and a Classic client on it, acting as Keygate's core would. */
async function portalWithClient(requests: number) {
  const [portal] = await startPortals(1, requests)
  if (!portal) throw new Error('no portal')
  opened.push(portal)
  const client = createTykClassicClient({
    profile: { id: 'p1', baseUrl: portal.emu.url, customCa: null, pinnedSha256: null },
    secret: portal.emu.secret,
    transport: createNodeTransport()
  })
  return { portal, client }
}

describe('chaos summary', () => {
  it('reports a second key, a delete of an approved request, missing items and an unexplained conflict, and spares the rival race', async () => {
    const { portal, client } = await portalWithClient(3)
    const rival = new Rival()
    const [twice, raced, approvedThenDeleted, untouched] = [
      portal.fresh(),
      portal.fresh(),
      portal.fresh(),
      portal.fresh()
    ] as string[]
    // What a broken core would do: approve twice, and DELETE an approved request.
    await client.approve(twice as string)
    await client.approve(twice as string)
    // The pre-flight gap: the rival approves, then Keygate's approve still issues a key.
    rival.approve(0, portal, raced as string)
    await client.approve(raced as string)
    await client.approve(approvedThenDeleted as string)
    await client.decline(approvedThenDeleted as string)

    const actions: ActionRecord[] = [
      {
        step: 0,
        portal: 0,
        profileId: 'p1',
        requestId: untouched as string,
        kind: 'approve',
        result: 'answered',
        opId: 'never-stored'
      }
    ]
    const items = [
      item({ opId: 'a', requestId: twice as string, kind: 'approve' }),
      item({ opId: 'b', requestId: raced as string, kind: 'approve' }),
      item({ opId: 'c', requestId: approvedThenDeleted as string, kind: 'approve' }),
      item({ opId: 'd', requestId: approvedThenDeleted as string, kind: 'decline' }),
      item({
        opId: 'e',
        requestId: untouched as string,
        kind: 'decline',
        state: 'conflict',
        resolution: { reason: 'approved-elsewhere', at: '2025-06-01T00:00:00.000Z' },
        lastError: { code: 'CONFLICT', message: 'Approved on the Dashboard', retryable: false }
      })
    ]
    const { summary, problems } = summarize({
      seed: 3,
      mode: 'app',
      elapsedMs: 1,
      actions,
      items,
      portals: [portal],
      profiles: [{ id: 'p1', url: portal.emu.url, secret: portal.emu.secret }],
      rival,
      cancelled: new Set(),
      kills: [],
      storedAtKills: new Set(['a', 'dropped-after-a-kill']),
      faultEpochs: 0
    })

    expect(summary).toMatchObject({
      doubleApprovals: 1,
      racedApprovals: 1,
      deletesOfApproved: 1,
      keysIssuedByKeygate: 4,
      lost: 3,
      rivalActions: 1
    })
    expect(problems).toHaveLength(5)
  })
})

describe('chaos summary of keys whose reply was lost before a rival deleted the request', () => {
  it('counts a key as explained only when its approve says a key may exist', async () => {
    const { portal, client } = await portalWithClient(2)
    const rival = new Rival()
    const [said, hidden] = [portal.fresh(), portal.fresh()] as string[]
    for (const id of [said, hidden] as string[]) {
      await client.approve(id)
      rival.delete(0, portal, id)
    }
    const conflict = (opId: string, requestId: string, reason: OutboxResolutionReason) =>
      item({
        opId,
        requestId,
        kind: 'approve',
        state: 'conflict',
        resolution: { reason, at: '2025-06-01T00:00:00.000Z' },
        lastError: { code: 'CONFLICT', message: 'removed', retryable: false }
      })
    const { summary, problems } = summarize({
      seed: 4,
      mode: 'app',
      elapsedMs: 1,
      actions: [],
      items: [
        conflict('a', said as string, 'removed-outcome-unknown'),
        conflict('b', hidden as string, 'removed-elsewhere')
      ],
      portals: [portal],
      profiles: [{ id: 'p1', url: portal.emu.url, secret: portal.emu.secret }],
      rival,
      cancelled: new Set(),
      kills: [],
      storedAtKills: new Set(),
      faultEpochs: 0
    })
    expect(summary).toMatchObject({ keysIssuedByKeygate: 2, lost: 1 })
    expect(problems).toEqual([
      `unexplained: a key was issued to Keygate for ${hidden}, but no approve is done`
    ])
  })
})

describe('chaos summary of a deleted profile, from its kept decision log', () => {
  const entry = (
    patch: Partial<DecisionLogEntry> & Pick<DecisionLogEntry, 'opId' | 'requestId' | 'kind'>
  ): DecisionLogEntry =>
    testDecisionEntry({
      profileId: 'old',
      by: 'chaos-admin',
      decidedAt: '2025-06-01T00:00:00.000Z',
      outcome: 'cancelled',
      portalRemoved: { name: 'Chaos 1', at: '2025-06-01T00:01:00.000Z' },
      ...patch
    })
  const unknown = { reason: 'cancelled-outcome-unknown' as const, at: '2025-06-01T00:01:00.000Z' }

  it('reports a key or DELETE its log calls plainly cancelled, spares one it says may exist, and counts a call dropped on the wire', async () => {
    const { portal, client } = await portalWithClient(5)
    const [explainedKey, hiddenKey, hiddenDelete, onTheWire, neverSent] = Array.from(
      { length: 5 },
      () => portal.fresh()
    )
    // What the deleted profile's calls did on the Dashboard before it went.
    await client.approve(explainedKey as string)
    await client.approve(hiddenKey as string)
    await client.decline(hiddenDelete as string)
    await client.approve(onTheWire as string)
    const log = [
      entry({ opId: 'a', requestId: explainedKey as string, kind: 'approve', resolution: unknown }),
      entry({ opId: 'b', requestId: hiddenKey as string, kind: 'approve' }),
      entry({ opId: 'c', requestId: hiddenDelete as string, kind: 'decline' }),
      entry({ opId: 'd', requestId: onTheWire as string, kind: 'approve', outcome: 'sending' }),
      entry({ opId: 'e', requestId: neverSent as string, kind: 'approve' })
    ]
    const answered = (opId: string, requestId: string): ActionRecord => ({
      step: 0,
      portal: 0,
      profileId: 'old',
      requestId,
      kind: 'approve',
      result: 'answered',
      opId
    })
    const { summary, problems, notes } = summarize({
      seed: 5,
      mode: 'app',
      elapsedMs: 1,
      actions: [
        answered('a', explainedKey as string),
        answered('e', neverSent as string),
        answered('missing', neverSent as string)
      ],
      items: [],
      portals: [portal],
      profiles: [{ id: 'new', url: portal.emu.url, secret: portal.emu.secret }],
      rival: new Rival(),
      cancelled: new Set(),
      kills: [],
      storedAtKills: new Set(['a', 'e']),
      faultEpochs: 0,
      deletedProfiles: [{ id: 'old', portal: 0, sentFirst: false, log, listedAsRemoved: true }]
    })

    expect(problems).toEqual([
      `lost: approve of ${neverSent} (step 0) is missing from its deleted profile's log`,
      `unexplained: a key was issued to Keygate for ${hiddenKey}, but its deleted profile's log says cancelled without cancelled-outcome-unknown`,
      `unexplained: Keygate deleted ${hiddenDelete}, but its deleted profile's log says cancelled without cancelled-outcome-unknown`
    ])
    expect(summary).toMatchObject({
      lost: 3,
      keysIssuedByKeygate: 3,
      doubleApprovals: 0,
      profileDeletes: {
        deletes: 1,
        entries: 5,
        cancelled: 4,
        cancelledOutcomeUnknown: 1,
        droppedInFlight: 1,
        droppedInFlightEffects: 1
      }
    })
    expect(notes).toHaveLength(2)
  })

  it('counts as lost an entry left queued and a deleted log that decisions:removedPortals does not name', async () => {
    const { portal } = await portalWithClient(1)
    const requestId = portal.fresh()
    const { summary, problems } = summarize({
      seed: 6,
      mode: 'app',
      elapsedMs: 1,
      actions: [],
      items: [],
      portals: [portal],
      profiles: [{ id: 'new', url: portal.emu.url, secret: portal.emu.secret }],
      rival: new Rival(),
      cancelled: new Set(),
      kills: [],
      storedAtKills: new Set(),
      faultEpochs: 0,
      deletedProfiles: [
        {
          id: 'old',
          portal: 0,
          sentFirst: true,
          log: [entry({ opId: 'q', requestId, kind: 'decline', outcome: 'queued' })],
          listedAsRemoved: false
        }
      ]
    })
    expect(summary.lost).toBe(2)
    expect(problems).toEqual([
      `unexplained: decline ${requestId} (q): left queued when its profile was deleted: no outcome recorded`,
      'lost: deleted profile old has a decision log that decisions:removedPortals does not name'
    ])
  })
})

describe('chaos CLI flags', () => {
  it('reads the documented flags and names a bad one', () => {
    const parsed = parseChaosArgs([
      '--actions',
      '2000',
      '--profiles',
      '3',
      '--fault-rate',
      '0.3',
      '--kills',
      '20',
      '--seed',
      '1'
    ])
    expect(parsed).toMatchObject({
      ok: true,
      options: { actions: 2000, profiles: 3, faultRate: 0.3, kills: 20, seed: 1, mode: 'app' }
    })
    expect(parseChaosArgs([]).ok && parseChaosArgs([])).toMatchObject({
      options: {
        faults: 'all',
        hostFaults: ['keychain-hang', 'disk-full', 'corrupt-store', 'clock-jump']
      }
    })
    expect(parseChaosArgs(['--host-faults', 'disk-full,clock-jump'])).toMatchObject({
      options: { hostFaults: ['disk-full', 'clock-jump'] }
    })
    expect(parseChaosArgs(['--host-faults', 'none'])).toMatchObject({ options: { hostFaults: [] } })
    expect(parseChaosArgs([])).toMatchObject({ options: { profileDeletes: 0 } })
    expect(parseChaosArgs(['--profile-deletes', '6'])).toMatchObject({
      options: { profileDeletes: 6 }
    })
    const unknown = parseChaosArgs(['--host-faults', 'disk-full,meteor'])
    expect(unknown.ok ? '' : unknown.message).toContain('--host-faults')
    const bad = parseChaosArgs(['--fault-rate', '2'])
    expect(bad.ok).toBe(false)
    expect(bad.ok ? '' : bad.message).toContain('--fault-rate')
  })
})
