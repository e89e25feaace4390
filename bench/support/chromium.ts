import { existsSync } from 'node:fs'

/** Debian's Chromium, which Playwright drives here (no browser can be downloaded). */
export const chromiumPath = '/usr/bin/chromium'

/** Why the renderer benchmarks cannot run here, or null. Free of Playwright, to import early. */
export function rendererUnavailable(): string | null {
  return existsSync(chromiumPath) ? null : `no Chromium at ${chromiumPath}`
}
