import { existsSync } from 'node:fs'
import { chromiumPath } from '../../e2e/harness/chromium'

export { chromiumPath }

/** Why the renderer benchmarks cannot run here, or null. Free of Playwright, to import early. */
export function rendererUnavailable(): string | null {
  return existsSync(chromiumPath) ? null : `no Chromium at ${chromiumPath}`
}
