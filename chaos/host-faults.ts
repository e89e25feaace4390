import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { CredentialStore, StoreFactory } from '../src/main/core/ports'
import { guarded } from '../src/main/core/storage/conf-store'
import type { Prng } from './prng'

/**
 * Faults of the machine rather than the Dashboard: a keychain that stops answering, a full disk,
 * store files damaged between kills and a wall clock that jumps across a restart. Windows are in
 * chaos time and kept in a file beside the store folder, so worker processes see them too.
 */
export const hostFaultKinds = ['keychain-hang', 'disk-full', 'corrupt-store', 'clock-jump'] as const
export type HostFaultKind = (typeof hostFaultKinds)[number]

const windowsSchema = z.object({ keychainHangUntil: z.number(), diskFullUntil: z.number() })
export type HostFaultWindows = z.infer<typeof windowsSchema>
const none: HostFaultWindows = { keychainHangUntil: 0, diskFullUntil: 0 }

const windowsFile = (dir: string): string => `${dir}.host-faults.json`

export function writeHostFaults(dir: string, windows: HostFaultWindows): void {
  writeFileSync(windowsFile(dir), JSON.stringify(windows))
}

/** The windows now in force; none while the file is missing or being rewritten. */
export function readHostFaults(dir: string): HostFaultWindows {
  try {
    return windowsSchema.parse(JSON.parse(readFileSync(windowsFile(dir), 'utf8')))
  } catch {
    return none
  }
}

/** Longer than the core's 5 s keychain timeout, so each hang is a timeout, then a recovery. */
export const drawKeychainHangMs = (rng: Prng): number => 8_000 + Math.floor(rng.next() * 12_000)
export const drawDiskFullMs = (rng: Prng): number => 5_000 + Math.floor(rng.next() * 25_000)
/** A jump of 1 to 6 hours, forward or back. */
export const drawClockJumpMs = (rng: Prng): number =>
  (rng.chance(0.5) ? 1 : -1) * (1 + Math.floor(rng.next() * 6)) * 3_600_000

/** A keychain whose calls do not answer until a hang window is over, then answer as usual. */
export function hangingKeychain(
  inner: CredentialStore,
  dir: string,
  now: () => number
): CredentialStore {
  const answered = async (): Promise<void> => {
    while (now() < readHostFaults(dir).keychainHangUntil) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  return {
    status: async () => (await answered(), inner.status()),
    get: async (account) => (await answered(), inner.get(account)),
    set: async (account, secret) => (await answered(), inner.set(account, secret)),
    delete: async (account) => (await answered(), inner.delete(account))
  }
}

/** Store files that refuse writes with ENOSPC during a disk-full window, as a full disk does. */
export function fullDiskStores(open: StoreFactory, dir: string, now: () => number): StoreFactory {
  return (name) => {
    const store = open(name)
    const refuse = (): void => {
      if (now() >= readHostFaults(dir).diskFullUntil) return
      guarded(path.join(dir, `${name}.json`), name, () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
      })
    }
    return {
      get: (key) => store.get(key),
      set: (key, value) => {
        refuse()
        store.set(key, value)
      },
      delete: (key) => {
        refuse()
        store.delete(key)
      },
      keys: () => store.keys()
    }
  }
}

/**
 * The stores a kill may leave damaged: the rebuildable ones. A damaged outbox or decision log is
 * set aside whole for the user (never read back by Keygate), which the run would count as lost.
 */
const damageable = ['cache', 'seen'] as const

/** Truncates one store file mid-JSON, as a torn write would; returns its name, or null if none. */
export function corruptStore(dir: string, rng: Prng): string | null {
  const present = damageable.filter((name) => existsSync(path.join(dir, `${name}.json`)))
  if (present.length === 0) return null
  const name = rng.pick(present)
  const file = path.join(dir, `${name}.json`)
  const text = readFileSync(file, 'utf8')
  writeFileSync(file, `${text.slice(0, Math.floor(text.length / 2))}{"torn`)
  return name
}

/** Damaged store files Keygate moved aside and started without. */
export const storesSetAside = (dir: string): number =>
  readdirSync(dir).filter((file) => file.includes('.unreadable-')).length
