import { AppFailure } from '../../shared/result'
import type { CredentialStore } from '../core/ports'

/** The part of keytar Keygate uses. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

export interface KeytarCredentialStoreOptions {
  /** Keychain service name; `keygate` unless a test wants its own. */
  service?: string
  /** Loads the native module; injectable so the "module missing" path is testable. */
  load?: () => Promise<KeytarApi>
}

const PROBE_ACCOUNT = 'keygate-availability-probe'
const PROBE_TIMEOUT_MS = 10_000

const loadKeytar = async (): Promise<KeytarApi> => {
  const mod = (await import('keytar')) as { default?: KeytarApi } & Partial<KeytarApi>
  const api = mod.default ?? mod
  if (typeof api.getPassword !== 'function') throw new Error('keytar exports no getPassword')
  return api as KeytarApi
}

/** The user-facing sentence for every keychain failure: what to do about it, and the way out. */
export function keychainUnavailableMessage(reason: string): string {
  const sessionOnly = 'or choose "Keep the API key for this session only".'
  if (/locked/i.test(reason)) {
    return (
      `The OS keychain is locked (${reason}). Unlock it (log in to the desktop session, or run ` +
      `gnome-keyring-daemon --unlock), then try again; ${sessionOnly}`
    )
  }
  return (
    `No OS keychain is available (${reason}). On Linux, install gnome-keyring (or another ` +
    `Secret Service provider) and libsecret, then restart Keygate; ${sessionOnly}`
  )
}

function reasonOf(e: unknown, secret?: string): string {
  const text = e instanceof Error ? e.message : String(e)
  // A native error message never should carry the secret, but never let one through if it did.
  if (secret && text.includes(secret)) return 'keychain error'
  return text.replace(/\s+/g, ' ').trim().slice(0, 200) || 'keychain error'
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms)
    timer.unref?.()
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (e: unknown) => {
        clearTimeout(timer)
        reject(e)
      }
    )
  })
}

/**
 * The OS keychain through keytar (service `keygate`, account = profile id). keytar is loaded on
 * first use, so a missing or broken native module is a KEYCHAIN_UNAVAILABLE answer, not a crash.
 */
export function createKeytarCredentialStore(
  options: KeytarCredentialStoreOptions = {}
): CredentialStore {
  const service = options.service ?? 'keygate'
  const load = options.load ?? loadKeytar
  let loaded: Promise<KeytarApi> | null = null

  const keytar = (): Promise<KeytarApi> => {
    loaded ??= load().catch((e: unknown) => {
      // Let a later call try again (e.g. after the user installed the missing library).
      loaded = null
      throw new Error(`the keytar native module could not be loaded: ${reasonOf(e)}`)
    })
    return loaded
  }

  const run = async <T>(fn: (api: KeytarApi) => Promise<T>, secret?: string): Promise<T> => {
    try {
      return await fn(await keytar())
    } catch (e) {
      throw new AppFailure('KEYCHAIN_UNAVAILABLE', keychainUnavailableMessage(reasonOf(e, secret)))
    }
  }

  return {
    async status() {
      try {
        const api = await keytar()
        await withTimeout(api.getPassword(service, PROBE_ACCOUNT), PROBE_TIMEOUT_MS)
        return { available: true, message: null }
      } catch (e) {
        return { available: false, message: keychainUnavailableMessage(reasonOf(e)) }
      }
    },
    get: (account) => run((api) => api.getPassword(service, account)),
    set: (account, secret) => run((api) => api.setPassword(service, account, secret), secret),
    delete: (account) => run((api) => api.deletePassword(service, account))
  }
}
