import { create } from 'zustand'
import type { AppSettings } from '../../../shared/domain'
import type { AppError } from '../../../shared/result'
import { call } from '../api'

interface SettingsState {
  /** null until main answered; decisions then go out without an undo offer. */
  settings: AppSettings | null
  load(): Promise<void>
  /** Saves a change; answers the error to show, or null. */
  update(patch: Partial<AppSettings>): Promise<AppError | null>
}

/** The app settings main keeps (the undo window). */
export const useSettingsStore = create<SettingsState>()((set) => ({
  settings: null,
  async load() {
    const result = await call((k) => k['settings:get']())
    if (result.ok) set({ settings: result.value })
  },
  async update(patch) {
    const result = await call((k) => k['settings:update'](patch))
    if (!result.ok) return result.error
    set({ settings: result.value })
    return null
  }
}))

/** The undo window in ms as last known (0 before settings loaded). */
export const undoWindowMs = (): number =>
  (useSettingsStore.getState().settings?.undoSeconds ?? 0) * 1000
