import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/**
 * Locates the Electron binary WITHOUT requiring the `electron` package, whose entry point
 * downloads the binary on first use (impossible on machines without the release host).
 */
export function findElectronBinary(): { path: string } | { reason: string } {
  const require = createRequire(import.meta.url)
  const pkgDir = path.dirname(require.resolve('electron/package.json'))
  const pathFile = path.join(pkgDir, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (override) {
    const candidate = path.join(override, relative ?? 'electron')
    return existsSync(candidate)
      ? { path: candidate }
      : { reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${candidate} does not exist` }
  }
  if (!relative) {
    return {
      reason:
        'no Electron binary: node_modules/electron has not downloaded it (set ELECTRON_OVERRIDE_DIST_PATH or run where the release host is reachable)'
    }
  }
  const candidate = path.join(pkgDir, 'dist', relative)
  return existsSync(candidate)
    ? { path: candidate }
    : { reason: `no Electron binary at ${candidate}` }
}
