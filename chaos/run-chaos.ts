import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ActionKind, OutboxItem } from '../src/shared/domain'
import { activeOutboxStates } from '../src/shared/outbox-states'
import { AppFailure } from '../src/shared/result'
import { chaosNow, type Timeline } from './chaos-clock'
import {
  corruptStore,
  drawClockJumpMs,
  drawDiskFullMs,
  drawKeychainHangMs,
  hostFaultKinds,
  storesSetAside,
  writeHostFaults,
  type HostFaultKind
} from './host-faults'
import type { ChaosProfile, CoreConfig, CoreMode } from './core-driver'
import { HostInterrupted, type CoreHost } from './core-host'
import {
  calmSetting,
  allFaultKinds,
  drawFaultSetting,
  faultKinds,
  isWindow,
  MAX_FAULT_DELAY_MS,
  type FaultSetting
} from './fault-plan'
import { HostKeeper } from './host-keeper'
import { createProfiles } from './open-core'
import { startPortals, type ChaosPortal } from './portals'
import { createPrng, type Prng } from './prng'
import { Rival } from './rival'
import { itemsOnDisk, sendingOnDisk } from './store-file'
import {
  summarize,
  type ActionRecord,
  type ChaosSummary,
  type DeletedProfile,
  type KillRecord
} from './summary'

export interface ChaosOptions {
  actions: number
  profiles: number
  /** Chance per emulator per epoch of running with a fault. */
  faultRate: number
  kills: number
  seed: number
  mode: CoreMode
  /** Chaos-clock speed-up (see chaos-clock.ts). */
  timeScale: number
  /** Admin calls in flight at once. */
  concurrency: number
  /** Chance per step that the rival admin acts. */
  rivalRate: number
  /** Bound on the final wait for every item to finish (wall ms). */
  quiesceMs: number
  /** `all` adds write-only failures and absurd Retry-After values to the classic fault kinds. */
  faults?: 'classic' | 'all'
  /** Machine faults drawn besides the Dashboard's with `faults: all`; default every kind. */
  hostFaults?: readonly HostFaultKind[]
  /**
   * Times the admin deletes a portal's profile (`profiles:delete`, pending actions cancelled or
   * first sent) and adds the Dashboard again as a new profile; app mode only. Default 0.
   */
  profileDeletes?: number
  verbose: boolean
  /** Progress lines. */
  log: (line: string) => void
}

export interface ChaosResult {
  summary: ChaosSummary
  problems: string[]
  /** Counted but allowed (a call dropped on the wire with its profile). */
  notes: string[]
  /** Breakdowns that show which paths the run exercised (stderr in the CLI). */
  details: ChaosDetails
}

export interface ChaosDetails {
  outcomes: Record<string, number>
  rival: Record<string, number>
  windows: { offline: number; auth: number }
  instances: number
  /** Notifications the cores showed (new requests, replays ending in conflicts). */
  notifications: number
  /**
   * Hash of every seeded decision (action targets by position, kinds, faults, kills): equal
   * seeds give equal digests.
   */
  decisions: string
  /** With profile deletes: answers that actions were still pending, creates retried. */
  profileChanges?: { notDeletedYet: number; createsRetried: number }
}

/** A window must have been open this long before the rival approves a request Keygate declines. */
const RIVAL_WINDOW_WAIT_MS = 2 * MAX_FAULT_DELAY_MS + 100
/** Wall time an offline or 401 window lasts at least, so backoff and parking play out. */
const MIN_WINDOW_MS = 1_000
const OPS_RATE = 0.02
/** Chance per step that the rival approves something on a portal Keygate cannot reach. */
const WINDOW_RIVAL_RATE = 0.12
/** Chance that the admin deleting a profile first asks to send its pending actions. */
const SEND_FIRST_RATE = 0.3
/** Steps a due profile delete waits for a portal with an action whose outcome is unknown. */
const DELETE_WAIT_STEPS = 25
/** Wall time a profile delete or re-add may take, answers "still sending" included. */
const PROFILE_CHANGE_BOUND_MS = 120_000

interface PlannedKill {
  step: number
  kind: 'instance' | 'process'
  /** Wall ms between seeing items `sending` and the kill. */
  delayMs: number
}

/**
 * Runs the chaos test: thousands of seeded admin actions through the real core against one
 * emulator per profile, with faults, a rival admin and kills, then one summary computed from the
 * emulators' stats and the final outbox.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  if ((options.profileDeletes ?? 0) > 0 && options.mode !== 'app')
    throw new Error('Profile deletes need app mode: the Outbox alone has no profiles')
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-chaos-'))
  const portals = await startPortals(options.profiles, options.seed)
  try {
    const timeline: Timeline = { origin: Date.now(), scale: options.timeScale }
    const profiles = await createProfiles(
      options.mode,
      dir,
      timeline,
      portals.map((portal) => ({ url: portal.emu.url, secret: portal.emu.secret })),
      options.verbose
    )
    const config: CoreConfig = {
      mode: options.mode,
      dir,
      timeline,
      // Every profile of the run, deleted ones included, so each new core holds their secrets.
      profiles: [...profiles],
      verbose: options.verbose
    }
    const run = new ChaosRun(options, config, portals, profiles)
    try {
      return await run.run()
    } catch (error) {
      await run.abort()
      throw error
    }
  } finally {
    await Promise.all(portals.map((portal) => portal.emu.close()))
    rmSync(dir, { recursive: true, force: true })
    rmSync(`${dir}.host-faults.json`, { force: true })
  }
}

class ChaosRun {
  private readonly started = Date.now()
  private readonly keeper: HostKeeper
  private readonly rival = new Rival()
  private readonly actionRng: Prng
  private readonly faultRng: Prng
  private readonly rivalRng: Prng
  private readonly opsRng: Prng
  private readonly records: ActionRecord[] = []
  private readonly cancelled = new Set<string>()
  /** Every opId the store file held right after a kill: all must still be there at the end. */
  private readonly storedAtKills = new Set<string>()
  private readonly kills: KillRecord[] = []
  private readonly inFlight = new Set<Promise<void>>()
  private readonly faults: FaultSetting[]
  private readonly windowOpenedAt: number[]
  private readonly epochSteps: number
  private readonly plan: PlannedKill[]
  private faultEpochs = 0
  private notifications = 0
  private readonly windows = { offline: 0, auth: 0 }
  private rivalApprovesOfDeclined = 0
  private readonly decisions = createHash('sha256')
  private readonly hostRng: Prng
  private readonly hostKinds: readonly HostFaultKind[]
  /** What the machine did to the core: windows opened, files damaged, clocks jumped. */
  private readonly hostFaults = {
    keychainHangs: 0,
    diskFull: 0,
    corruptedStores: 0,
    clockJumps: 0,
    adminCallsRefused: 0
  }
  private readonly deleteRng: Prng
  private readonly deletePlan: number[]
  private readonly deleted: Omit<DeletedProfile, 'log' | 'listedAsRemoved'>[] = []
  /** Delete answers that still found actions to send, and re-adds a kill cut short. */
  private readonly profileChanges = { notDeletedYet: 0, createsRetried: 0 }
  private killing: Promise<void> | null = null
  private killFailure: Error | null = null

  constructor(
    private readonly options: ChaosOptions,
    private readonly config: CoreConfig,
    private readonly portals: ChaosPortal[],
    private readonly profiles: ChaosProfile[]
  ) {
    const rng = createPrng(options.seed)
    this.actionRng = rng.fork('actions')
    this.faultRng = rng.fork('faults')
    this.rivalRng = rng.fork('rival')
    this.opsRng = rng.fork('ops')
    this.hostRng = rng.fork('host')
    this.hostKinds = options.faults === 'all' ? (options.hostFaults ?? hostFaultKinds) : []
    this.deleteRng = rng.fork('profile-deletes')
    this.deletePlan = planProfileDeletes(options.actions, options.profileDeletes ?? 0)
    this.keeper = new HostKeeper(config, (host) =>
      host.onNotified(() => {
        this.notifications += 1
      })
    )
    this.faults = portals.map(() => calmSetting())
    this.windowOpenedAt = portals.map(() => 0)
    this.epochSteps = Math.max(8, Math.ceil(options.actions / 40))
    this.plan = planKills(rng.fork('kills'), options.actions, options.kills)
    for (const kill of this.plan)
      this.decisions.update(`k${kill.step}:${kill.kind}:${kill.delayMs};`)
  }

  async run(): Promise<ChaosResult> {
    const { actions, log } = this.options
    const pendingKills = [...this.plan]
    const pendingDeletes = [...this.deletePlan]
    for (let step = 0; step < actions; step++) {
      if (this.killFailure) throw this.killFailure
      if (step % this.epochSteps === 0) await this.applyFaults(step)
      const due = pendingKills[0]
      if (due && due.step <= step && !this.killing) {
        pendingKills.shift()
        await this.startKill(due)
      }
      const dueDelete = pendingDeletes[0]
      if (dueDelete !== undefined && dueDelete <= step) {
        const target = await this.deleteTarget(step - dueDelete)
        if (target) {
          pendingDeletes.shift()
          await this.deleteAndReAdd(step, target)
        }
      }
      if (this.rivalRng.chance(this.options.rivalRate)) await this.rivalActs(step)
      await this.rivalWorksWindows(step)
      await this.adminOps()
      await this.dispatchAction(step)
      // Stretch offline and 401 windows in wall time, so backoff and parking really happen.
      if (this.faults.some((f) => isWindow(f.kind))) {
        await sleep(Math.ceil(MIN_WINDOW_MS / this.epochSteps))
      }
      if ((step + 1) % Math.max(1, Math.floor(actions / 10)) === 0) {
        log(
          `chaos: ${step + 1}/${actions} actions, ${this.kills.length} kills, ${this.rival.actions.length} rival actions`
        )
      }
    }
    // Deletes still waiting for a doubtful action when the actions ran out take what there is.
    for (const due of pendingDeletes) {
      let target: ChaosPortal | null = null
      while (!(target = await this.deleteTarget(Infinity))) await sleep(100)
      await this.deleteAndReAdd(due, target)
    }
    await this.drain()
    await this.finishKills(pendingKills)
    for (const portal of this.portals) portal.emu.control.clearFaults()
    writeHostFaults(this.config.dir, { keychainHangUntil: 0, diskFullUntil: 0 })
    const settled = await this.quiesce()
    if (!settled)
      log('chaos: the outbox did not settle within the bound; unfinished items count as lost')
    const host = await this.keeper.host()
    const items = await host.driver.list()
    const deletedProfiles = await this.deletedLogs(host)
    await host.stop()
    const result = summarize({
      seed: this.options.seed,
      mode: this.options.mode,
      elapsedMs: Date.now() - this.started,
      actions: this.records,
      items,
      portals: this.portals,
      profiles: this.profiles,
      rival: this.rival,
      cancelled: this.cancelled,
      kills: this.kills,
      storedAtKills: this.storedAtKills,
      faultEpochs: this.faultEpochs,
      ...(deletedProfiles && { deletedProfiles })
    })
    const hostFaults = { ...this.hostFaults, storesSetAside: storesSetAside(this.config.dir) }
    return { ...result, summary: { ...result.summary, hostFaults }, details: this.details(items) }
  }

  /** After a failure: no core instance (least of all a worker process) outlives the run. */
  async abort(): Promise<void> {
    const host = await this.keeper.host().catch(() => null)
    await host?.kill()
  }

  private details(items: OutboxItem[]): ChaosDetails {
    const outcomes: Record<string, number> = {}
    for (const item of items) {
      const key = `${item.kind} ${item.state}${item.resolution ? ` ${item.resolution.reason}` : ''}`
      outcomes[key] = (outcomes[key] ?? 0) + 1
    }
    const rival: Record<string, number> = {
      approvesOfDeclinedInWindows: this.rivalApprovesOfDeclined
    }
    for (const action of this.rival.actions) {
      const key = `${action.kind}${action.applied ? '' : ' refused'}${action.wasApproved ? ' of approved' : ''}`
      rival[key] = (rival[key] ?? 0) + 1
    }
    return {
      outcomes,
      rival,
      windows: this.windows,
      instances: this.keeper.instances,
      notifications: this.notifications,
      decisions: this.decisions.copy().digest('hex').slice(0, 16),
      ...(this.deletePlan.length > 0 && { profileChanges: this.profileChanges })
    }
  }

  /** Maybe a keychain hang or a full disk for part of the epoch (chaos time). */
  private applyHostWindow(step: number): void {
    const kinds = this.hostKinds.filter((k) => k === 'keychain-hang' || k === 'disk-full')
    if (kinds.length === 0 || !this.hostRng.chance(this.options.faultRate / 2)) return
    const kind = this.hostRng.pick(kinds)
    const now = chaosNow(this.config.timeline)
    const windows = { keychainHangUntil: 0, diskFullUntil: 0 }
    if (kind === 'keychain-hang') {
      windows.keychainHangUntil = now + drawKeychainHangMs(this.hostRng)
      this.hostFaults.keychainHangs += 1
    } else {
      windows.diskFullUntil = now + drawDiskFullMs(this.hostRng)
      this.hostFaults.diskFull += 1
    }
    this.decisions.update(`h${step}:${kind};`)
    writeHostFaults(this.config.dir, windows)
  }

  /** Between a kill and the next instance: maybe a damaged store file, maybe a clock jump. */
  private faultAcrossRestart(): void {
    if (this.hostKinds.includes('corrupt-store') && this.hostRng.chance(this.options.faultRate)) {
      const damaged = corruptStore(this.config.dir, this.hostRng)
      if (damaged) this.hostFaults.corruptedStores += 1
      this.decisions.update(`c${damaged ?? '-'};`)
    }
    if (this.hostKinds.includes('clock-jump') && this.hostRng.chance(this.options.faultRate)) {
      // Off by hours, or back to the right time: either way a jump across the restart.
      this.config.clockOffsetMs = this.config.clockOffsetMs ? 0 : drawClockJumpMs(this.hostRng)
      this.hostFaults.clockJumps += 1
      this.decisions.update(`j${this.config.clockOffsetMs};`)
    }
  }

  /** New faults per emulator for the epoch; the end of a 401 window gets the admin's fix. */
  private async applyFaults(step: number): Promise<void> {
    this.applyHostWindow(step)
    for (const portal of this.portals) {
      const setting = drawFaultSetting(
        this.faultRng,
        this.options.faultRate,
        this.options.faults === 'all' ? allFaultKinds : faultKinds
      )
      const fix = this.opsRng.chance(0.5) ? 'retry' : 'secret'
      const previous = this.faults[portal.index] as FaultSetting
      if (setting.kind !== 'calm') this.faultEpochs += 1
      if (isWindow(setting.kind) && setting.kind !== previous.kind) {
        this.windowOpenedAt[portal.index] = Date.now()
        this.windows[setting.kind === 'auth' ? 'auth' : 'offline'] += 1
      }
      this.decisions.update(`f${step}:${portal.index}:${setting.kind}:${fix};`)
      portal.emu.control.setFaults(setting.faults)
      this.faults[portal.index] = setting
      if (previous.kind === 'auth' && setting.kind !== 'auth') await this.fixAuth(portal, fix)
      if (this.options.verbose && setting.kind !== previous.kind) {
        this.options.log(`chaos: step ${step} portal ${portal.index + 1} -> ${setting.kind}`)
      }
    }
  }

  /** The admin notices the parked profile: Retry on one parked item, or re-enter the secret. */
  private async fixAuth(portal: ChaosPortal, fix: 'retry' | 'secret'): Promise<void> {
    const profileId = this.profileId(portal)
    await this.adminCall(async (host) => {
      if (fix === 'secret') return host.driver.updateSecret(profileId, this.secretOf(profileId))
      const parked = (await host.driver.list()).find(
        (item) => item.profileId === profileId && item.state === 'needs-auth'
      )
      if (parked) await host.driver.retry(parked.opId)
    })
  }

  /**
   * The rival admin, on the Dashboard directly. It approves only pending requests (what the
   * Dashboard UI offers) and deletes anything. One restraint: it approves a request the admin
   * asked Keygate to decline only inside an offline or 401 window that has been open longer than
   * any call can be delayed. Outside one, Keygate may be between its pre-flight read and its
   * DELETE, and no Tyk API makes that check-then-delete atomic: a hit there is a race the
   * Dashboard allows, not a Keygate decision. Inside a window nothing of Keygate's can land, so
   * the decline must end as a conflict when the window closes.
   */
  private async rivalActs(step: number): Promise<void> {
    const portal = this.rivalRng.pick(this.portals)
    const approve = this.rivalRng.chance(0.5)
    const fromRecent = this.rivalRng.chance(0.5)
    const draw = this.rivalRng.next()
    const ahead = this.rivalRng.int(10)
    const requestId =
      fromRecent && portal.recent.length > 0
        ? (portal.recent[Math.floor(draw * portal.recent.length)] as string)
        : portal.upcoming(ahead)
    this.decisions.update(`r${step}:${portal.index}:${portal.known.indexOf(requestId)}:${approve};`)
    if (!approve) {
      this.rival.delete(step, portal, requestId)
      return
    }
    if (portal.declined.has(requestId)) {
      if (!isWindow((this.faults[portal.index] as FaultSetting).kind)) return
      const openFor = Date.now() - (this.windowOpenedAt[portal.index] as number)
      if (openFor < RIVAL_WINDOW_WAIT_MS) await sleep(RIVAL_WINDOW_WAIT_MS - openFor)
      if (this.rival.approve(step, portal, requestId)?.applied) this.rivalApprovesOfDeclined += 1
      return
    }
    this.rival.approve(step, portal, requestId)
  }

  /**
   * While Keygate's admin cannot reach a portal, the rival is busy there: now and then it
   * approves a request Keygate's admin acted on lately (one it was asked to decline when there is
   * one), so replays must end in conflicts. The draws are made for every portal at every step,
   * window or not, so the seeded sequence does not depend on timing.
   */
  private async rivalWorksWindows(step: number): Promise<void> {
    for (const portal of this.portals) {
      const acts = this.rivalRng.chance(WINDOW_RIVAL_RATE)
      const draw = this.rivalRng.next()
      if (!acts || !isWindow((this.faults[portal.index] as FaultSetting).kind)) continue
      this.decisions.update(`w${step}:${portal.index};`)
      // Still pending, declines first: a decline replayed onto an approval is the case to prove.
      const pending = portal.recent.filter(
        (id) => portal.emu.control.getRequest(id)?.approved === false
      )
      const declined = pending.filter((id) => portal.declined.has(id))
      const pool = declined.length > 0 ? declined : pending
      if (pool.length === 0) continue
      const requestId = pool[Math.floor(draw * pool.length)] as string
      const openFor = Date.now() - (this.windowOpenedAt[portal.index] as number)
      if (openFor < RIVAL_WINDOW_WAIT_MS) await sleep(RIVAL_WINDOW_WAIT_MS - openFor)
      const action = this.rival.approve(step, portal, requestId)
      if (action?.applied && portal.declined.has(requestId)) this.rivalApprovesOfDeclined += 1
    }
  }

  /** Now and then the admin cancels a queued item or presses Retry on one (the outbox panel). */
  private async adminOps(): Promise<void> {
    const cancel = this.opsRng.chance(OPS_RATE)
    const retry = this.opsRng.chance(OPS_RATE)
    const draw = this.opsRng.next()
    if (!cancel && !retry) return
    this.decisions.update(`o${cancel}:${retry}:${draw};`)
    await this.adminCall(async (host) => {
      const items = await host.driver.list()
      if (cancel) {
        const queued = items.filter((item) => item.state === 'queued')
        const target = queued[Math.floor(draw * queued.length)]
        if (target) {
          // Counted before the answer: a kill may cut the call after the cancel was stored.
          this.cancelled.add(target.opId)
          await host.driver.cancel(target.opId).catch(ignoreConflict)
        }
      }
      if (retry) {
        const stuck = items.filter((item) =>
          ['failed', 'needs-auth', 'queued'].includes(item.state)
        )
        const target = stuck[Math.floor(draw * stuck.length)]
        if (target) await host.driver.retry(target.opId).catch(ignoreConflict)
      }
    })
  }

  private async dispatchAction(step: number): Promise<void> {
    const portal = this.actionRng.pick(this.portals)
    const which = this.actionRng.next()
    const draw = this.actionRng.next()
    const kind: ActionKind = this.actionRng.chance(0.55) ? 'approve' : 'decline'
    let requestId: string
    if (which < 0.6 || portal.recent.length === 0) requestId = portal.fresh()
    else if (which < 0.88)
      requestId = portal.recent[Math.floor(draw * portal.recent.length)] as string
    else requestId = portal.known[Math.floor(draw * portal.cursor)] as string
    this.decisions.update(`a${step}:${portal.index}:${portal.known.indexOf(requestId)}:${kind};`)
    portal.acted(requestId, kind)
    while (this.inFlight.size >= this.options.concurrency) await Promise.race(this.inFlight)
    const call = this.act(step, portal, requestId, kind).finally(() => this.inFlight.delete(call))
    this.inFlight.add(call)
  }

  private async act(
    step: number,
    portal: ChaosPortal,
    requestId: string,
    kind: ActionKind
  ): Promise<void> {
    const record: ActionRecord = {
      step,
      portal: portal.index,
      profileId: this.profileId(portal),
      requestId,
      kind,
      result: 'answered',
      opId: null
    }
    this.records.push(record)
    const { profileId } = record
    const host = await this.keeper.host()
    try {
      const outcome =
        kind === 'approve'
          ? await host.driver.approve(profileId, requestId)
          : await host.driver.decline(profileId, requestId, `chaos step ${step}`)
      record.opId = outcome.opId
    } catch (thrown) {
      if (thrown instanceof HostInterrupted) record.result = 'interrupted'
      else if (thrown instanceof AppFailure) {
        record.result = 'refused'
        if (this.options.verbose)
          this.options.log(`chaos: ${kind} refused: ${thrown.error.code} ${thrown.error.message}`)
      } else throw thrown
    }
  }

  /** One admin call on the live instance; a kill cutting it short is part of the game. */
  private async adminCall(fn: (host: CoreHost) => Promise<void>): Promise<void> {
    const host = await this.keeper.host()
    try {
      await fn(host)
    } catch (thrown) {
      if (isHostRefusal(thrown)) this.hostFaults.adminCallsRefused += 1
      else if (!(thrown instanceof HostInterrupted)) throw thrown
    }
  }

  private async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.race(this.inFlight)
  }

  /** Moves to the kill's kind of instance (a clean handover), then arms the kill. */
  private async startKill(kill: PlannedKill): Promise<void> {
    const kind = kill.kind === 'instance' ? 'in-process' : 'worker'
    if ((await this.keeper.host()).kind !== kind) {
      await this.drain()
      await this.keeper.switchTo(kind)
    }
    this.killing = this.killMidFlush(kill).then(
      (record) => {
        this.kills.push(record)
        this.killing = null
        this.options.log(
          `chaos: ${record.kind} kill at step ${record.step} with ${record.sendingOnDisk} item(s) sending on disk`
        )
      },
      (error: unknown) => {
        this.killFailure = error instanceof Error ? error : new Error(String(error))
        this.killing = null
      }
    )
  }

  /**
   * Waits until the live instance has made items `sending` on disk, lets `delayMs` pass (so some
   * calls are on the wire, some answered and not yet written), and kills it if the file still
   * holds some of its own `sending` items; otherwise waits for its next flush. A worker's file is
   * checked again after death, since it may have written in between; a miss is retried on a
   * fresh worker.
   */
  private async killMidFlush(kill: PlannedKill): Promise<KillRecord> {
    const kind = kill.kind === 'instance' ? 'in-process' : 'worker'
    for (let attempt = 0; attempt < 10; attempt++) {
      const host = await this.keeper.host()
      const inherited = sendingOnDisk(this.config.dir)
      const own = (): number =>
        [...sendingOnDisk(this.config.dir)].filter((id) => !inherited.has(id)).length
      await new Promise<void>((resolve) => {
        let armed = false
        host.onSending((opIds) => {
          if (armed || !opIds.some((id) => !inherited.has(id))) return
          armed = true
          setTimeout(() => {
            if (own() > 0) resolve()
            else armed = false
          }, kill.delayMs)
        })
      })
      await host.kill()
      for (const item of itemsOnDisk(this.config.dir)) this.storedAtKills.add(item.opId)
      const left = own()
      this.faultAcrossRestart()
      this.keeper.restart(kind)
      if (left > 0) return { kind: kill.kind, step: kill.step, sendingOnDisk: left }
      this.options.log(
        `chaos: ${kill.kind} kill missed the flush (nothing sending on disk); trying again`
      )
    }
    throw new Error('Kills keep missing the flush: the run cannot prove kills land mid-flush')
  }

  /**
   * Kills still due when the actions ran out: the admin keeps acting (extra actions, logged)
   * until they have flushes to land in.
   */
  private async finishKills(pendingKills: PlannedKill[]): Promise<void> {
    let step = this.options.actions
    while (this.killing || pendingKills.length > 0) {
      if (this.killFailure) throw this.killFailure
      if (!this.killing) await this.startKill(pendingKills.shift() as PlannedKill)
      this.options.log(`chaos: extra action ${step + 1} to give a due kill a flush to land in`)
      await this.dispatchAction(step)
      step += 1
      await sleep(20)
    }
    await this.drain()
    if (this.killFailure) throw this.killFailure
  }

  /**
   * Faults cleared, the admin fixes what needs them (secret re-entered for parked profiles, Retry
   * on items waiting out a backoff) until every item has finished or the bound runs out.
   */
  private async quiesce(): Promise<boolean> {
    const deadline = Date.now() + this.options.quiesceMs
    const retried = new Map<string, number>()
    for (;;) {
      const host = await this.keeper.host()
      const items = await host.driver.list()
      const active = items.filter((item) => activeOutboxStates.has(item.state))
      if (active.length === 0) return true
      if (Date.now() > deadline) return false
      for (const profileId of new Set(parkedProfiles(active)))
        await host.driver.updateSecret(profileId, this.secretOf(profileId))
      for (const item of active) {
        if (item.state === 'needs-auth' || item.nextAttemptAt === null) continue
        if (Date.now() - (retried.get(item.opId) ?? 0) < 1_000) continue
        retried.set(item.opId, Date.now())
        await host.driver.retry(item.opId).catch(ignoreConflict)
      }
      await sleep(200)
    }
  }

  private profileId(portal: ChaosPortal): string {
    return (this.profiles[portal.index] as ChaosProfile).id
  }

  private secretOf(profileId: string): string {
    const profile = this.config.profiles.find((p) => p.id === profileId)
    if (!profile) throw new Error(`No chaos profile ${profileId}`)
    return profile.secret
  }

  /**
   * The admin deletes one portal's profile while its actions may be queued, parked or on the
   * wire and its Dashboard faulty: `profiles:delete` with 'cancel', or first 'send' and then
   * 'cancel' for what could not go. An answer that something is still sending is waited out and
   * asked again, as the dialog would; a kill or a full disk cutting the call short is followed by
   * a look at whether the profile went. Then the Dashboard is added again as a new profile (a new
   * id), so the run keeps its portals; the old id's log is read at the end.
   */
  private async deleteAndReAdd(step: number, portal: ChaosPortal): Promise<void> {
    const sentFirst = this.deleteRng.chance(SEND_FIRST_RATE)
    // The portal and step follow the outbox at the time (see deleteTarget): not in the digest.
    this.decisions.update(`d${sentFirst};`)
    const old = this.profiles[portal.index] as ChaosProfile
    // Counted before the call: a kill may cut it short after the profile went.
    this.deleted.push({ id: old.id, portal: portal.index, sentFirst })
    const deadline = Date.now() + PROFILE_CHANGE_BOUND_MS
    let pendingActions: 'send' | 'cancel' = sentFirst ? 'send' : 'cancel'
    for (;;) {
      if (Date.now() > deadline) throw new Error(`Profile ${old.id} could not be deleted`)
      const answer = await this.tryOnHost((host) =>
        host.driver.deleteProfile(old.id, pendingActions).catch((thrown: unknown) => {
          // An earlier call a kill cut short went through after all.
          if (thrown instanceof AppFailure && thrown.error.code === 'NOT_FOUND')
            return { deleted: true }
          throw thrown
        })
      )
      if (answer?.deleted) break
      if (answer) {
        this.profileChanges.notDeletedYet += 1
        pendingActions = 'cancel'
      } else {
        const listed = await this.tryOnHost((host) => host.driver.listProfiles())
        if (listed && !listed.some((p) => p.id === old.id)) break
      }
      await sleep(100)
    }
    const name = `Chaos ${portal.index + 1} (added again at step ${step})`
    let id: string | undefined
    while (id === undefined) {
      if (Date.now() > deadline) throw new Error(`Portal ${portal.index + 1} could not be re-added`)
      // A create a kill cut short may have gone through: adopt it rather than add a second.
      const listed = await this.tryOnHost((host) => host.driver.listProfiles())
      id = listed?.find((p) => sameUrl(p.url, portal.emu.url))?.id
      if (listed && id === undefined) {
        id = await this.tryOnHost((host) =>
          host.driver.createProfile(name, portal.emu.url, portal.emu.secret)
        )
      }
      if (id === undefined) {
        this.profileChanges.createsRetried += 1
        await sleep(100)
      }
    }
    const fresh: ChaosProfile = { id, url: portal.emu.url, secret: portal.emu.secret }
    this.profiles[portal.index] = fresh
    this.config.profiles.push(fresh)
    // A core started while the create was cut short holds no secret for it: enter it again.
    while (
      !(await this.tryOnHost((host) => host.driver.updateSecret(id, fresh.secret).then(() => true)))
    ) {
      if (Date.now() > deadline) throw new Error(`Portal ${portal.index + 1} has no secret`)
      await sleep(100)
    }
    if (this.options.verbose)
      this.options.log(
        `chaos: step ${step} profile ${old.id} deleted, portal ${portal.index + 1} is now ${id}`
      )
  }

  /**
   * Which portal's profile a due delete takes: the one with the most actions whose earlier call's
   * outcome is unknown (`sending` with an error: awaiting its re-check), then the most unsettled
   * ones, ties going round the portals. For up to DELETE_WAIT_STEPS steps it waits for a portal
   * holding such a doubt, the case `cancelled-outcome-unknown` is for; null means not yet.
   */
  private async deleteTarget(waited: number): Promise<ChaosPortal | null> {
    const items = await this.tryOnHost((host) => host.driver.list())
    if (!items) return null
    const start = this.deleted.length % this.portals.length
    const rotated = [...this.portals.slice(start), ...this.portals.slice(0, start)]
    const scored = rotated.map((portal) => {
      const own = items.filter((item) => item.profileId === this.profileId(portal))
      return {
        portal,
        doubtful: own.filter((item) => item.state === 'sending' && item.lastError !== null).length,
        unsettled: own.filter(
          (item) => activeOutboxStates.has(item.state) || item.state === 'failed'
        ).length
      }
    })
    const best = scored.reduce((a, b) =>
      b.doubtful > a.doubtful || (b.doubtful === a.doubtful && b.unsettled > a.unsettled) ? b : a
    )
    return best.doubtful > 0 || waited >= DELETE_WAIT_STEPS ? best.portal : null
  }

  /** One admin call on the live instance; undefined when a kill or the machine cut it short. */
  private async tryOnHost<T>(fn: (host: CoreHost) => Promise<T>): Promise<T | undefined> {
    const host = await this.keeper.host()
    try {
      return await fn(host)
    } catch (thrown) {
      if (thrown instanceof HostInterrupted) return undefined
      if (isHostRefusal(thrown)) {
        this.hostFaults.adminCallsRefused += 1
        return undefined
      }
      throw thrown
    }
  }

  /** The deleted profiles' logs as the settled core shows them; undefined with no deletes planned. */
  private async deletedLogs(host: CoreHost): Promise<DeletedProfile[] | undefined> {
    if (this.deletePlan.length === 0) return undefined
    const removed = new Set(await host.driver.removedPortals())
    const logs: DeletedProfile[] = []
    for (const profile of this.deleted) {
      const log = await host.driver.decisions(profile.id)
      logs.push({ ...profile, log, listedAsRemoved: removed.has(profile.id) })
    }
    return logs
  }
}

/** A Dashboard URL as a profile stores it (no trailing slash) and as the emulator gives it. */
function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '')
}

/** Profile deletes spread over 10% to 80% of the run: a re-added profile has work left. */
function planProfileDeletes(actions: number, deletes: number): number[] {
  const from = Math.floor(actions * 0.1)
  const span = Math.floor(actions * 0.7)
  return Array.from(
    { length: deletes },
    (_, i) => from + Math.floor(((i + 0.5) * span) / Math.max(1, deletes))
  )
}

function parkedProfiles(items: OutboxItem[]): string[] {
  return items.filter((item) => item.state === 'needs-auth').map((item) => item.profileId)
}

/** CONFLICT is the core saying the item moved on meanwhile (sending, finished): fine here. */
/**
 * A full disk or a keychain that did not answer, told to the admin as an error to act on: the
 * admin's cancel, retry or new secret did not happen, and is tried again later.
 */
function isHostRefusal(thrown: unknown): boolean {
  return (
    thrown instanceof AppFailure &&
    (thrown.error.code === 'KEYCHAIN_UNAVAILABLE' || thrown.message.includes('(ENOSPC)'))
  )
}

function ignoreConflict(thrown: unknown): void {
  if (thrown instanceof AppFailure && thrown.error.code === 'CONFLICT') return
  throw thrown
}

/** Kill steps spread over the first 85% of the run, half in-process instances, half processes. */
function planKills(rng: Prng, actions: number, kills: number): PlannedKill[] {
  const kinds: PlannedKill['kind'][] = Array.from({ length: kills }, (_, i) =>
    i % 2 === 0 ? 'instance' : 'process'
  )
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    ;[kinds[i], kinds[j]] = [kinds[j] as PlannedKill['kind'], kinds[i] as PlannedKill['kind']]
  }
  const span = Math.floor(actions * 0.85)
  return kinds.map((kind, i) => ({
    kind,
    step: Math.floor(((i + 0.5) * span) / Math.max(1, kills)),
    delayMs: rng.between(0, 12)
  }))
}
