import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** Where the stand-in appends one JSON line per launch. */
export const STAND_IN_RECORD_ENV = 'KEYGATE_STAND_IN_RECORD'

export interface StandInLaunch {
  args: string[]
  cwd: string
  /** Files under out/ (relative to cwd) when it was launched. */
  builtFiles: string[]
  env: Record<string, string | undefined>
}

/**
 * The script of an executable that takes Electron's place: it records how it was launched and
 * exits 0, as Electron does when its app quits.
 */
export function standInScript(): string {
  return `#!/usr/bin/env node
const fs = require('node:fs')
const path = require('node:path')
const out = path.join(process.cwd(), 'out')
const builtFiles = fs.existsSync(out)
  ? fs.readdirSync(out, { recursive: true }).map((f) => path.join('out', f)).filter((f) => fs.statSync(f).isFile())
  : []
const env = {}
for (const name of ['ELECTRON_EXEC_PATH', 'NODE_ENV_ELECTRON_VITE', 'ELECTRON_RENDERER_URL']) env[name] = process.env[name]
const launch = { args: process.argv.slice(2), cwd: process.cwd(), builtFiles, env }
fs.appendFileSync(process.env.${STAND_IN_RECORD_ENV}, JSON.stringify(launch) + '\\n')
`
}

/** Writes the stand-in as `dir/electron`, the name of Electron's executable on Linux. */
export function writeStandIn(dir: string): string {
  mkdirSync(dir, { recursive: true })
  const executable = path.join(dir, 'electron')
  writeFileSync(executable, standInScript())
  chmodSync(executable, 0o755)
  return executable
}

export function readLaunches(recordFile: string): StandInLaunch[] {
  if (!existsSync(recordFile)) return []
  return readFileSync(recordFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as StandInLaunch)
}
