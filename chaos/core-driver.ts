import type {
  ActionOutcome,
  DecisionLogEntry,
  OutboxItem,
  ProfileDeleteResult
} from '../src/shared/domain'
import type { Timeline } from './chaos-clock'

/** How the chaos run reaches the core: through AppCore's IPC handlers, or the Outbox alone. */
export type CoreMode = 'app' | 'outbox'

/** One portal profile as every core instance of the run sees it. */
export interface ChaosProfile {
  id: string
  url: string
  secret: string
}

/** Everything a core instance needs; plain JSON, so a worker process gets it as one argument. */
export interface CoreConfig {
  mode: CoreMode
  /** Store directory shared by every instance of the run, one after the other. */
  dir: string
  timeline: Timeline
  profiles: ChaosProfile[]
  /** Write the core's warnings and errors to stderr. */
  verbose: boolean
  /** How far this instance's wall clock is off chaos time: a clock jump across a restart. */
  clockOffsetMs?: number
}

/**
 * The admin's side of the core, as the renderer would use it: one method per IPC channel the
 * chaos run exercises. Methods throw `AppFailure` as the handlers do.
 */
export interface CoreDriver {
  approve(profileId: string, requestId: string): Promise<ActionOutcome>
  decline(profileId: string, requestId: string, reason: string): Promise<ActionOutcome>
  cancel(opId: string): Promise<void>
  retry(opId: string): Promise<void>
  list(): Promise<OutboxItem[]>
  /** The admin re-enters the profile's API secret (after a 401 window). */
  updateSecret(profileId: string, secret: string): Promise<void>
  /** `profiles:delete`, telling the core what to do with the profile's pending actions. */
  deleteProfile(profileId: string, pendingActions: 'send' | 'cancel'): Promise<ProfileDeleteResult>
  /** `profiles:create`: adds a profile for a Dashboard and answers its new id. */
  createProfile(name: string, url: string, secret: string): Promise<string>
  /** `profiles:list`: the profiles the core holds, by id and Dashboard URL. */
  listProfiles(): Promise<{ id: string; url: string }[]>
  /** `decisions:list`: one profile's log, a deleted one's too (empty when nothing was logged). */
  decisions(profileId: string): Promise<DecisionLogEntry[]>
  /** `decisions:removedPortals`: the ids of the deleted portals whose logs are kept. */
  removedPortals(): Promise<string[]>
  /** Every outbox change, with the whole list. */
  onOutboxChange(listener: (items: OutboxItem[]) => void): void
  /** Clean shutdown (not a kill). */
  stop(): Promise<void>
}

/** Operations a worker process serves over IPC, by name. */
export type DriverOp =
  | { op: 'approve'; profileId: string; requestId: string }
  | { op: 'decline'; profileId: string; requestId: string; reason: string }
  | { op: 'cancel'; opId: string }
  | { op: 'retry'; opId: string }
  | { op: 'list' }
  | { op: 'updateSecret'; profileId: string; secret: string }
  | { op: 'deleteProfile'; profileId: string; pendingActions: 'send' | 'cancel' }
  | { op: 'createProfile'; name: string; url: string; secret: string }
  | { op: 'listProfiles' }
  | { op: 'decisions'; profileId: string }
  | { op: 'removedPortals' }

/** Runs one operation on a driver; the worker and its tests share it. */
export async function runDriverOp(driver: CoreDriver, call: DriverOp): Promise<unknown> {
  switch (call.op) {
    case 'approve':
      return driver.approve(call.profileId, call.requestId)
    case 'decline':
      return driver.decline(call.profileId, call.requestId, call.reason)
    case 'cancel':
      return driver.cancel(call.opId)
    case 'retry':
      return driver.retry(call.opId)
    case 'list':
      return driver.list()
    case 'updateSecret':
      return driver.updateSecret(call.profileId, call.secret)
    case 'deleteProfile':
      return driver.deleteProfile(call.profileId, call.pendingActions)
    case 'createProfile':
      return driver.createProfile(call.name, call.url, call.secret)
    case 'listProfiles':
      return driver.listProfiles()
    case 'decisions':
      return driver.decisions(call.profileId)
    case 'removedPortals':
      return driver.removedPortals()
  }
}

/** The opIds of the items in `sending`: a kill now lands mid-flush. */
export function sendingIds(items: readonly OutboxItem[]): string[] {
  return items.filter((item) => item.state === 'sending').map((item) => item.opId)
}
