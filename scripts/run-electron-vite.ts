import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { ensureElectronBinary } from './electron-binary'

/**
 * `npm start` / `npm run dev`: electron-vite with Electron's binary made present first, handed to
 * electron-vite through its ELECTRON_EXEC_PATH (electron-vite alone ignores
 * ELECTRON_OVERRIDE_DIST_PATH and never triggers Electron's download).
 */

const projectRoot = process.cwd()

function electronViteBin(): string {
  const require = createRequire(path.join(projectRoot, 'package.json'))
  const manifestPath = require.resolve('electron-vite/package.json')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    bin: { 'electron-vite': string }
  }
  return path.join(path.dirname(manifestPath), manifest.bin['electron-vite'])
}

const binary = await ensureElectronBinary(projectRoot, process.env, (line) => console.log(line))
if (!binary.ok) {
  console.error(`Keygate cannot start: ${binary.message}`)
  process.exit(1)
}

const child = spawn(process.execPath, [electronViteBin(), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_EXEC_PATH: binary.path }
})
// electron-vite passes these on to Electron; this wrapper must not die before them.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.on(signal, () => child.kill(signal))
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
