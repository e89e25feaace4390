import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { OutboxItem } from '../src/shared/domain'
import type { HttpRequest } from '../src/main/core/ports'
import type { CoreConfig } from './core-driver'
import { createProfiles, openCore, type CoreInstance, type WireTap } from './open-core'
import { startPortals } from './portals'
import { itemsOnDisk } from './store-file'

/**
 * Where a scripted kill lands in one approve's send window:
 * - `on-the-wire`: the approve has left but the Dashboard has not applied it yet; it lands
 *   `holdMs` after the kill, after the restarted core's first read of the request.
 * - `committed-unanswered`: the Dashboard applied the approve and answered; the core dies before
 *   it reads the answer.
 */
export type CrashPoint = 'on-the-wire' | 'committed-unanswered'

export interface CrashWindowOptions {
  point: CrashPoint
  seed: number
  /** Chaos-clock speed-up: the 15 s reconcile grace lasts 15,000 / timeScale wall ms. */
  timeScale: number
  /** How long an on-the-wire approve takes to reach the Dashboard after the kill (wall ms). */
  holdMs: number
  /** Bound on the restarted core settling the item (wall ms). */
  settleMs: number
}

export interface CrashWindowResult {
  /** The item's state in the store file at the instant its approve went out ('absent' if none). */
  onDiskWhenSent: string | null
  /** Credentials the Dashboard issued for the request (more than one: approved twice). */
  approvals: number
  /** The item as the restarted core left it (null: gone). */
  item: OutboxItem | null
}

const isApprove = (request: HttpRequest): boolean =>
  request.method === 'PUT' && request.url.includes('/api/portal/requests/approve/')

const active = new Set(['queued', 'sending', 'needs-auth'])

/**
 * One approve through AppCore, a kill at `point` inside its send window, a restart on the same
 * store files, and what the restarted core made of it once settled.
 */
export async function runCrashWindow(options: CrashWindowOptions): Promise<CrashWindowResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-crash-'))
  const [portal] = await startPortals(1, options.seed)
  if (!portal) throw new Error('no portal')
  const instances: CoreInstance[] = []
  try {
    const timeline = { origin: Date.now(), scale: options.timeScale }
    const profiles = await createProfiles(
      'app',
      dir,
      timeline,
      [{ url: portal.emu.url, secret: portal.emu.secret }],
      false
    )
    const config: CoreConfig = { mode: 'app', dir, timeline, profiles, verbose: false }
    const profileId = (profiles[0] as { id: string }).id
    const requestId = portal.fresh()

    let onDiskWhenSent: string | null = null
    let killFirst: () => void = () => undefined
    let killed: () => void = () => undefined
    let delivered: () => void = () => undefined
    const wasKilled = new Promise<void>((resolve) => (killed = resolve))
    const wasDelivered = new Promise<void>((resolve) => (delivered = resolve))
    const tap: WireTap = (transport) => async (request) => {
      if (!isApprove(request) || onDiskWhenSent !== null) return transport(request)
      onDiskWhenSent = itemsOnDisk(dir)[0]?.state ?? 'absent'
      if (options.point === 'on-the-wire') {
        killFirst()
        killed()
        await sleep(options.holdMs)
        return transport(request).finally(delivered)
      }
      const response = await transport(request)
      killFirst()
      killed()
      delivered()
      return response
    }
    const first = await openCore(config, 'crash-1', () => undefined, tap)
    instances.push(first)
    killFirst = first.kill
    // The admin's call dies with the instance: its answer is never seen.
    void first.driver.approve(profileId, requestId).catch(() => undefined)
    await withDeadline(wasKilled, options.settleMs, 'the approve never went out')

    const second = await openCore(config, 'crash-2', () => undefined)
    instances.push(second)
    const deadline = Date.now() + options.settleMs
    let item: OutboxItem | null = null
    for (;;) {
      item = (await second.driver.list()).find((entry) => entry.requestId === requestId) ?? null
      if (!item || !active.has(item.state) || Date.now() > deadline) break
      await sleep(50)
    }
    await withDeadline(wasDelivered, options.settleMs, 'the held approve never landed')
    await second.driver.stop()
    return {
      onDiskWhenSent,
      approvals: portal.emu.control.stats().approvals[requestId] ?? 0,
      item
    }
  } finally {
    for (const instance of instances) instance.kill()
    await portal.emu.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function withDeadline(promise: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`crash window: ${what} within ${ms} ms`)), ms)
  })
  try {
    await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}
