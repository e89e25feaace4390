import type { AppSettings } from '../../../shared/domain'
import { appSettingsSchema } from '../../../shared/ipc'
import type { KeyValueStore, Logger } from '../ports'

const SETTINGS_KEY = 'settings'

export const DEFAULT_UNDO_SECONDS = 5

export interface SettingsService {
  get(): AppSettings
  /** Saves the changed fields; throws when the store cannot be written (nothing changes then). */
  update(patch: Partial<AppSettings>): AppSettings
}

/**
 * App-wide settings in their own store file. A saved value this version cannot read (hand-edited,
 * or from a newer version) is logged and replaced by the default, field by field.
 */
export function createSettingsService(deps: {
  store: KeyValueStore
  logger: Logger
  defaults?: Partial<AppSettings>
}): SettingsService {
  const defaults: AppSettings = { undoSeconds: DEFAULT_UNDO_SECONDS, ...deps.defaults }
  const load = (): AppSettings => {
    const saved = deps.store.get<unknown>(SETTINGS_KEY)
    if (saved === undefined) return defaults
    const parsed = appSettingsSchema.partial().safeParse(saved)
    if (!parsed.success) {
      deps.logger.warn('Ignoring saved settings this version cannot read; using the defaults', {
        issue: parsed.error.issues[0]?.message
      })
      return defaults
    }
    return { ...defaults, ...parsed.data }
  }
  let current = load()
  return {
    get: () => ({ ...current }),
    update(patch) {
      const next = appSettingsSchema.parse({ ...current, ...patch })
      deps.store.set(SETTINGS_KEY, next)
      current = next
      return { ...current }
    }
  }
}
