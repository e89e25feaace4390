import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const repoRoot = path.resolve(import.meta.dirname, '../..')
export const rendererDir = path.join(repoRoot, 'out/renderer')
const builtMarker = path.join(rendererDir, 'index.html')
const sources = ['src/renderer', 'src/shared', 'electron.vite.config.ts', 'package-lock.json']

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0
  const stat = statSync(target)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = 0
  for (const entry of readdirSync(target)) {
    newest = Math.max(newest, newestMtime(path.join(target, entry)))
  }
  return newest
}

/** Why the built renderer cannot be measured as it is, or null when it is current. */
export function rendererBuildProblem(): string | null {
  if (!existsSync(builtMarker)) return 'out/renderer is missing'
  const built = statSync(builtMarker).mtimeMs
  const newest = Math.max(...sources.map((source) => newestMtime(path.join(repoRoot, source))))
  return newest > built ? 'out/renderer is older than its sources' : null
}

/**
 * Builds the app with `electron-vite build` when out/renderer is missing or older than its
 * sources, so the figures are those of the code in the tree. Build output goes to stderr.
 */
export function ensureRendererBuild(log: (message: string) => void): void {
  const problem = rendererBuildProblem()
  if (problem === null) return
  log(`${problem}: running electron-vite build`)
  const result = spawnSync('npx', ['electron-vite', 'build'], {
    cwd: repoRoot,
    stdio: ['ignore', process.stderr, process.stderr]
  })
  if (result.status !== 0) {
    throw new Error(`electron-vite build failed (exit ${result.status}); see the output above`)
  }
}
