import { create } from 'zustand'
import type { RequestDetail } from '../../../shared/domain'
import type { AppError } from '../../../shared/result'
import { call } from '../api'
import { refKey, type RequestRef } from '../lib/request-rows'

interface DetailState {
  key: string | null
  phase: 'idle' | 'loading' | 'ready' | 'error'
  detail: RequestDetail | null
  error: AppError | null
  load(ref: RequestRef): Promise<void>
  clear(): void
}

let latest = 0

/** The selected request in full (requests:get), including the Dashboard's raw JSON. */
export const useDetailStore = create<DetailState>()((set, get) => ({
  key: null,
  phase: 'idle',
  detail: null,
  error: null,
  async load(ref) {
    const ticket = ++latest
    const key = refKey(ref)
    if (get().key !== key) set({ key, phase: 'loading', detail: null, error: null })
    const result = await call((k) => k['requests:get'](ref))
    if (ticket !== latest) return
    if (result.ok) set({ phase: 'ready', detail: result.value, error: null })
    else set({ phase: 'error', error: result.error })
  },
  clear() {
    latest++
    set({ key: null, phase: 'idle', detail: null, error: null })
  }
}))
