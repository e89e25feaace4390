import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'

const NOT_CLONED = new Set([
  'node_modules',
  'out',
  'dist',
  '.git',
  'test-results',
  'playwright-report'
])

/**
 * A copy of the project as `git clone && npm install` leaves it: sources and an installed
 * node_modules whose `electron` package has not downloaded its binary yet. Dependencies are
 * symlinked (they resolve from the original tree); `electron` is a real copy so its installer
 * writes into the clone, never into the working tree.
 */
export function freshClone(projectRoot: string, into: string): string {
  cpSync(projectRoot, into, {
    recursive: true,
    filter: (source) => !NOT_CLONED.has(path.relative(projectRoot, source))
  })
  const modules = path.join(into, 'node_modules')
  mkdirSync(modules)
  for (const entry of readdirSync(path.join(projectRoot, 'node_modules'))) {
    const original = path.join(projectRoot, 'node_modules', entry)
    if (entry === 'electron') {
      const electronDir = path.join(modules, 'electron')
      cpSync(original, electronDir, {
        recursive: true,
        filter: (source) => !['dist', 'path.txt'].includes(path.relative(original, source))
      })
    } else {
      symlinkSync(original, path.join(modules, entry))
    }
  }
  return into
}
