import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RecordedCall } from '../electron-stand-in/recorder'
import type { BootCommand, ChildMessage } from './child/commands'

export const repoRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const outDir = path.join(repoRoot, 'out')
export const mainBundle = path.join(outDir, 'main', 'index.js')
export const preloadBundle = path.join(outDir, 'preload', 'index.cjs')
export const rendererDir = path.join(outDir, 'renderer')
const childEntry = fileURLToPath(new URL('./child/boot-child.ts', import.meta.url))

function newestMtime(entry: string): number {
  const info = statSync(entry)
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const name of readdirSync(entry))
    newest = Math.max(newest, newestMtime(path.join(entry, name)))
  return newest
}

function builtAt(): number {
  try {
    return Math.min(
      ...[mainBundle, preloadBundle, path.join(rendererDir, 'index.html')].map(
        (f) => statSync(f).mtimeMs
      )
    )
  } catch {
    return 0
  }
}

/**
 * Builds out/ with electron-vite when it is missing or older than the sources (npm test runs
 * vitest before the build). One builder at a time across test files: a lock folder.
 */
export function ensureBuilt(): void {
  const sources = ['src', 'electron.vite.config.ts', 'package.json', 'package-lock.json']
  const newestSource = Math.max(...sources.map((s) => newestMtime(path.join(repoRoot, s))))
  if (builtAt() >= newestSource) return
  const lock = path.join(repoRoot, 'node_modules', '.keygate-boot-build.lock')
  const started = Date.now()
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      if (Date.now() - started > 120_000) rmSync(lock, { recursive: true, force: true })
      execFileSync('sleep', ['0.2'])
    }
  }
  try {
    if (builtAt() >= newestSource) return
    execFileSync(path.join(repoRoot, 'node_modules', '.bin', 'electron-vite'), ['build'], {
      cwd: repoRoot,
      stdio: 'pipe'
    })
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

export interface Exit {
  code: number | null
  /** The stand-in's record up to the exit (absent when the process died without saying goodbye). */
  records: RecordedCall[] | null
}

/** One app process: the built main bundle on the stand-in, in its own temp home. */
export interface BootedApp {
  readonly home: string
  command<T = unknown>(command: BootCommand): Promise<T>
  records(): Promise<RecordedCall[]>
  /** Polls `probe` until it returns a value that is not undefined/false, or fails after `ms`. */
  until<T>(what: string, probe: () => Promise<T | undefined | false>, ms?: number): Promise<T>
  readonly exited: Promise<Exit>
  output(): string
  kill(): void
}

const homes: string[] = []

/** A fresh folder for one app's appData, temp and logs; removed by `removeTempHomes`. */
export function tempHome(): string {
  const home = mkdtempSync(path.join(os.tmpdir(), 'keygate-boot-'))
  homes.push(home)
  return home
}

export function removeTempHomes(): void {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true })
}

export function bootApp(options: { home: string; env?: Record<string, string> }): BootedApp {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env }
  env.KEYGATE_STAND_IN_HOME = options.home
  env.KEYGATE_STAND_IN_APP_PATH = repoRoot
  for (const name of [
    'ELECTRON_RENDERER_URL',
    'KEYGATE_USER_DATA_DIR',
    'KEYGATE_DISABLE_SINGLE_INSTANCE'
  ]) {
    if (!options.env?.[name]) delete env[name]
  }
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', childEntry, mainBundle], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc']
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  let nextId = 1
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  let finalRecords: RecordedCall[] | null = null
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'exit') {
      finalRecords = message.records
      return
    }
    const waiter = waiting.get(message.id)
    waiting.delete(message.id)
    if (message.ok) waiter?.resolve(message.value)
    else waiter?.reject(new Error(message.error))
  })
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code) => {
      const records = finalRecords as RecordedCall[] | null
      const errorBox = records?.find((r) => r.call === 'dialog.showErrorBox')
      const said = errorBox ? ` after the error box ${JSON.stringify(errorBox.args)}` : ''
      for (const waiter of waiting.values()) {
        waiter.reject(new Error(`the app exited (${code})${said}:\n${output}`))
      }
      waiting.clear()
      resolve({ code, records: finalRecords })
    })
  })
  const command = <T>(cmd: BootCommand): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (!child.connected) return reject(new Error(`the app is not running:\n${output}`))
      const id = nextId++
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject })
      child.send({ id, command: cmd })
    })
  return {
    home: options.home,
    command,
    records: () => command<RecordedCall[]>({ op: 'records' }),
    async until(what, probe, ms = 45_000) {
      const deadline = Date.now() + ms
      for (;;) {
        const value = await probe()
        if (value !== undefined && value !== false) return value as never
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${output}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    exited,
    output: () => output,
    kill: () => {
      child.kill('SIGKILL')
    }
  }
}
