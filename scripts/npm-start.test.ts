import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  readLaunches,
  STAND_IN_RECORD_ENV,
  standInScript,
  writeStandIn
} from './testing/electron-stand-in'
import { freshClone } from './testing/fresh-clone'
import {
  closedPortUrl,
  startReleaseMirror,
  zip,
  type ReleaseMirror
} from './testing/release-mirror'

const projectRoot = path.resolve(import.meta.dirname, '..')
const electronManifest = path.join(projectRoot, 'node_modules/electron/package.json')
const electronVersion = (JSON.parse(readFileSync(electronManifest, 'utf8')) as { version: string })
  .version

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Variables a user's shell does not have: the test runner's, and Electron's own (set per test). */
const NOT_INHERITED =
  /^(ELECTRON_|npm_config_electron_|npm_package_config_electron_|VITEST|NODE_ENV$)/i

function shellEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !NOT_INHERITED.test(name))
  return { ...Object.fromEntries(inherited), ...extra }
}

function npm(script: 'start' | 'dev', cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const args = script === 'start' ? ['start'] : ['run', 'dev']
    const child = spawn('npm', args, { cwd, env: shellEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const linuxOnly = process.platform === 'linux'
if (!linuxOnly)
  console.warn(
    `npm start tests skipped: the stand-in is Electron's Linux executable, this is ${process.platform}`
  )

describe.skipIf(!linuxOnly)('npm start on a fresh clone', { timeout: 180_000 }, () => {
  let scratch: string
  let clone: string
  let standInDir: string
  let record: string
  let mirror: ReleaseMirror

  beforeEach(async () => {
    scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'keygate-npm-start-')))
    clone = freshClone(projectRoot, path.join(scratch, 'keygate'))
    standInDir = path.join(scratch, 'electron-dist')
    record = path.join(scratch, 'launches.jsonl')
    const executable = { name: 'electron', content: standInScript(), mode: 0o755 }
    mirror = await startReleaseMirror(
      electronVersion,
      zip([executable, { name: 'version', content: electronVersion, mode: 0o644 }])
    )
  })

  afterEach(async () => {
    await mirror.close()
    rmSync(scratch, { recursive: true, force: true })
  })

  it('builds the app and launches Electron (ELECTRON_OVERRIDE_DIST_PATH) on the built entry', async () => {
    const standIn = writeStandIn(standInDir)

    const run = await npm('start', clone, {
      ELECTRON_OVERRIDE_DIST_PATH: standInDir,
      ELECTRON_MIRROR: mirror.url,
      [STAND_IN_RECORD_ENV]: record
    })

    expect(run.code, run.stderr).toBe(0)
    const launches = readLaunches(record)
    expect(launches).toHaveLength(1)
    const [launch] = launches
    expect(launch?.cwd).toBe(clone)
    expect(launch?.args).toEqual(['.'])
    const main = (
      JSON.parse(readFileSync(path.join(clone, 'package.json'), 'utf8')) as { main: string }
    ).main
    expect(path.normalize(main)).toBe(path.join('out', 'main', 'index.js'))
    expect(launch?.builtFiles).toEqual(
      expect.arrayContaining([
        'out/main/index.js',
        'out/preload/index.cjs',
        'out/renderer/index.html'
      ])
    )
    expect(launch?.env).toEqual({
      ELECTRON_EXEC_PATH: standIn,
      NODE_ENV_ELECTRON_VITE: 'production',
      ELECTRON_RENDERER_URL: undefined
    })
    expect(mirror.requests).toEqual([])
    expect(existsSync(path.join(clone, 'node_modules/electron/path.txt'))).toBe(false)
  })

  it("downloads Electron through Electron's installer on the first start only", async () => {
    const env = {
      ELECTRON_MIRROR: mirror.url,
      // The stand-in zip is not Electron's: check it against the mirror's SHASUMS256.txt.
      electron_use_remote_checksums: '1',
      electron_config_cache: path.join(scratch, 'electron-cache'),
      [STAND_IN_RECORD_ENV]: record
    }

    const first = await npm('start', clone, env)
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toContain(`Installing Electron ${electronVersion} from ${mirror.url}`)
    const zipRequests = mirror.requests.filter((url) => url.endsWith('.zip'))
    expect(zipRequests).toEqual([
      `/v${electronVersion}/electron-v${electronVersion}-linux-${process.arch}.zip`
    ])

    const requestsAfterFirst = mirror.requests.length
    const second = await npm('start', clone, env)
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).not.toContain('Installing Electron')
    expect(mirror.requests).toHaveLength(requestsAfterFirst)

    const installed = path.join(clone, 'node_modules/electron/dist/electron')
    expect(readFileSync(path.join(clone, 'node_modules/electron/path.txt'), 'utf8')).toBe(
      'electron'
    )
    expect(
      readLaunches(record).map((launch) => [launch.env.ELECTRON_EXEC_PATH, launch.args])
    ).toEqual([
      [installed, ['.']],
      [installed, ['.']]
    ])
  })

  it('says where it could not download Electron from, and what to do, when the mirror is unreachable', async () => {
    const unreachable = await closedPortUrl()

    const run = await npm('start', clone, {
      ELECTRON_MIRROR: unreachable,
      electron_config_cache: path.join(scratch, 'electron-cache'),
      [STAND_IN_RECORD_ENV]: record
    })

    expect(run.code).not.toBe(0)
    expect(run.stderr).toContain(
      `Keygate cannot start: could not download Electron ${electronVersion} from ${unreachable} (TypeError: fetch failed): check the network or set ELECTRON_MIRROR`
    )
    expect(run.stderr).not.toMatch(/^\s+at /m)
    expect(readLaunches(record)).toEqual([])
  })

  it('ELECTRON_SKIP_BINARY_DOWNLOAD: downloads nothing and says how to proceed', async () => {
    const run = await npm('start', clone, {
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
      ELECTRON_MIRROR: mirror.url,
      [STAND_IN_RECORD_ENV]: record
    })

    expect(run.code).not.toBe(0)
    expect(run.stderr).toContain(
      `Keygate cannot start: Electron ${electronVersion}'s binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set: unset it to download Electron, or point ELECTRON_OVERRIDE_DIST_PATH at an Electron build`
    )
    expect(mirror.requests).toEqual([])
    expect(readLaunches(record)).toEqual([])
  })

  it("launches electron-vite's ELECTRON_EXEC_PATH as given, without a download", async () => {
    const standIn = writeStandIn(standInDir)

    const run = await npm('start', clone, {
      ELECTRON_EXEC_PATH: standIn,
      ELECTRON_MIRROR: mirror.url,
      [STAND_IN_RECORD_ENV]: record
    })

    expect(run.code, run.stderr).toBe(0)
    expect(readLaunches(record).map((launch) => launch.env.ELECTRON_EXEC_PATH)).toEqual([standIn])
    expect(mirror.requests).toEqual([])
  })

  it('npm run dev launches Electron against the dev server', async () => {
    const standIn = writeStandIn(standInDir)

    const run = await npm('dev', clone, {
      ELECTRON_OVERRIDE_DIST_PATH: standInDir,
      ELECTRON_MIRROR: mirror.url,
      [STAND_IN_RECORD_ENV]: record
    })

    expect(run.code, run.stderr).toBe(0)
    const [launch] = readLaunches(record)
    expect(launch?.args).toEqual(['.'])
    expect(launch?.env.ELECTRON_EXEC_PATH).toBe(standIn)
    expect(launch?.env.NODE_ENV_ELECTRON_VITE).toBe('development')
    expect(launch?.env.ELECTRON_RENDERER_URL).toMatch(/^http:\/\/localhost:\d+\/?$/)
    expect(launch?.builtFiles).toEqual(
      expect.arrayContaining(['out/main/index.js', 'out/preload/index.cjs'])
    )
  })
})
