import { create } from 'zustand'
import type { KeyNotice } from '../../../shared/domain'
import { call } from '../api'

interface KeysState {
  /** Credentials waiting in main memory to be shown once (never the credential itself). */
  notices: KeyNotice[]
  /** The key dialog's key, if open. */
  openKeyId: string | null
  /** Dismissed here but maybe not yet gone from the last `keys:changed`. */
  dismissed: ReadonlySet<string>
  load(): Promise<void>
  setNotices(notices: KeyNotice[]): void
  open(keyId: string): void
  /** Closes the dialog; main drops the credential (keys:dismiss). */
  close(): Promise<string | null>
  /** Drops a notice (and its credential, if main still holds it) without opening it. */
  discard(keyId: string): Promise<string | null>
}

export const useKeysStore = create<KeysState>()((set, get) => ({
  notices: [],
  openKeyId: null,
  dismissed: new Set(),
  async load() {
    const result = await call((k) => k['keys:list']())
    if (result.ok) get().setNotices(result.value)
  },
  setNotices(notices) {
    const ids = new Set(notices.map((notice) => notice.id))
    const dismissed = new Set([...get().dismissed].filter((id) => ids.has(id)))
    set({ notices, dismissed })
  },
  open(keyId) {
    set({ openKeyId: keyId })
  },
  async close() {
    const keyId = get().openKeyId
    if (!keyId) return null
    set({ openKeyId: null })
    return get().discard(keyId)
  },
  async discard(keyId) {
    set({ dismissed: new Set(get().dismissed).add(keyId) })
    const result = await call((k) => k['keys:dismiss']({ keyId }))
    return result.ok ? null : result.error.message
  }
}))
