import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/**
 * Makes sure Electron's binary is on disk before electron-vite needs it. Since Electron 42 the
 * `electron` package downloads its binary on first use instead of at install time, and
 * electron-vite reads node_modules/electron/path.txt without ever triggering that download.
 * The download itself stays Electron's: its own installer (the `install-electron` bin), its own
 * variables, its own checksums and cache.
 */

export type Env = Readonly<Record<string, string | undefined>>

export type ElectronBinary = { ok: true; path: string } | { ok: false; message: string }

const RELEASE_HOST = 'https://github.com/electron/electron/releases/download/'

interface ElectronPackage {
  dir: string
  version: string
  /** The Node range Electron's installer declares, e.g. ">= 22.12.0". */
  nodeRange: string | undefined
}

export async function ensureElectronBinary(
  projectRoot: string,
  env: Env,
  log: (line: string) => void
): Promise<ElectronBinary> {
  if (env.ELECTRON_EXEC_PATH) {
    // A bare command name is looked up on PATH by electron-vite's spawn.
    return env.ELECTRON_EXEC_PATH.includes(path.sep)
      ? existingExecutable(env.ELECTRON_EXEC_PATH, 'ELECTRON_EXEC_PATH')
      : { ok: true, path: env.ELECTRON_EXEC_PATH }
  }
  const electron = readElectronPackage(projectRoot)
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    return existingExecutable(executablePath(electron, env), 'ELECTRON_OVERRIDE_DIST_PATH')
  }
  if (!isInstalled(electron)) {
    if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
      return {
        ok: false,
        message:
          `Electron ${electron.version}'s binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set: ` +
          'unset it to download Electron, or point ELECTRON_OVERRIDE_DIST_PATH at an Electron build'
      }
    }
    const failure = await runElectronInstaller(electron, env, log)
    if (failure !== null) return { ok: false, message: failure }
  }
  return existingExecutable(executablePath(electron, env), 'node_modules/electron')
}

function readElectronPackage(projectRoot: string): ElectronPackage {
  const require = createRequire(path.join(projectRoot, 'package.json'))
  const manifestPath = require.resolve('electron/package.json')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    version: string
    engines?: { node?: string }
  }
  return {
    dir: path.dirname(manifestPath),
    version: manifest.version,
    nodeRange: manifest.engines?.node
  }
}

/** The same test Electron's installer makes before it downloads anything. */
function isInstalled(electron: ElectronPackage): boolean {
  const pathFile = path.join(electron.dir, 'path.txt')
  const versionFile = path.join(electron.dir, 'dist', 'version')
  if (!existsSync(pathFile) || !existsSync(versionFile)) return false
  const version = readFileSync(versionFile, 'utf8').trim().replace(/^v/, '')
  return (
    version === electron.version &&
    existsSync(path.join(electron.dir, 'dist', readFileSync(pathFile, 'utf8')))
  )
}

/** Where Electron's package entry (node_modules/electron/index.js) says the executable is. */
function executablePath(electron: ElectronPackage, env: Env): string {
  const pathFile = path.join(electron.dir, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron'
  return env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative)
    : path.join(electron.dir, 'dist', relative)
}

function existingExecutable(executable: string, source: string): ElectronBinary {
  return existsSync(executable)
    ? { ok: true, path: executable }
    : { ok: false, message: `no Electron executable at ${executable} (from ${source})` }
}

/** Where @electron/get downloads from: an npm config or ELECTRON_MIRROR, else Electron's release host. */
function downloadSource(env: Env): string {
  return env.npm_config_electron_mirror || env.ELECTRON_MIRROR || RELEASE_HOST
}

async function runElectronInstaller(
  electron: ElectronPackage,
  env: Env,
  log: (line: string) => void
): Promise<string | null> {
  const source = downloadSource(env)
  log(
    `Installing Electron ${electron.version} from ${source} (or Electron's download cache); later starts reuse it...`
  )
  const nodeWarning = unsupportedNodeWarning(electron.nodeRange)
  if (nodeWarning) log(nodeWarning)
  const failure = await installerFailure(path.join(electron.dir, 'install.js'), env)
  if (failure === null) {
    log(`Electron ${electron.version} installed.`)
    return null
  }
  return (
    `could not download Electron ${electron.version} from ${source} (${failure}): ` +
    'check the network or set ELECTRON_MIRROR' +
    (nodeWarning ? `; ${nodeWarning}` : '')
  )
}

/** Runs Electron's installer (its `install-electron` bin); null when it succeeded, else the first line of what it reported. */
function installerFailure(installer: string, env: Env): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [installer], {
      env,
      stdio: ['ignore', 'inherit', 'pipe']
    })
    let stderr = ''
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', (error) => resolve(error.message))
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(null)
      const firstLine = stderr.split('\n').find((line) => line.trim() !== '')
      resolve(firstLine?.trim() ?? `installer exited with ${signal ?? `code ${code}`}`)
    })
  })
}

/** Electron's installer declares a minimum Node; below it we still try, and say why it may fail. */
function unsupportedNodeWarning(nodeRange: string | undefined): string | null {
  const minimum = /^>=\s*(\d+)\.(\d+)/.exec(nodeRange ?? '')
  if (!minimum) return null
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  const [needMajor, needMinor] = [Number(minimum[1]), Number(minimum[2])]
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return null
  return `Electron's installer requires Node ${needMajor}.${needMinor} or later and this is Node ${process.versions.node}`
}
