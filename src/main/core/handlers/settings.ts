import type { SettingsService } from '../settings/settings-service'
import type { HandlersFor } from './handler-types'

/** `settings:*`: the app's own preferences (the undo window), kept in their own store. */
export function settingsHandlers(deps: {
  settings: Pick<SettingsService, 'get' | 'update'>
}): HandlersFor<'settings:get' | 'settings:update'> {
  return {
    'settings:get': async () => deps.settings.get(),
    'settings:update': async (patch) => deps.settings.update(patch)
  }
}
