import path from 'node:path'

export interface AppPaths {
  userData: string
  /** electron-store files: profiles, cache, outbox, ... */
  stores: string
  logs: string
}

/**
 * Where Keygate keeps its data. `KEYGATE_USER_DATA_DIR` moves it (tests give each run a temp
 * dir, as Bruno does; a relative value is taken from the working directory). Otherwise
 * `<appData>/Keygate`, the same for development and packaged builds whatever the app's name.
 */
export function resolveUserDataDir(env: NodeJS.ProcessEnv, appDataDir: string): string {
  const override = env.KEYGATE_USER_DATA_DIR?.trim()
  return override ? path.resolve(override) : path.join(appDataDir, 'Keygate')
}

/** The folders Keygate uses under its userData directory. */
export function appPaths(userData: string): AppPaths {
  return {
    userData,
    stores: path.join(userData, 'stores'),
    logs: path.join(userData, 'logs')
  }
}
