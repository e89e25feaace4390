/**
 * The stand-in's memory: every call Keygate makes into "Electron", in order, and whether the app
 * is ready. One recorder per process (a boot test runs one app per child process).
 */

export interface RecordedCall {
  seq: number
  /** `app.setPath`, `BrowserWindow#1.loadURL`, `ipcMain.handle`, ... */
  call: string
  args: unknown[]
  /** Whether `ready` had been emitted when the call was made. */
  afterReady: boolean
}

/** A value as the record keeps it: JSON-safe, functions and stand-in objects named. */
function describe(value: unknown, depth = 0): unknown {
  if (typeof value === 'function') return '[function]'
  if (value === null || typeof value !== 'object') return value
  const label = (value as { standInLabel?: unknown }).standInLabel
  if (typeof label === 'string') return `[${label}]`
  if (depth > 4) return '[deep]'
  if (Array.isArray(value)) return value.map((item) => describe(item, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) out[key] = describe(item, depth + 1)
  return out
}

/** Names a call (`new Tray`, `Menu.setApplicationMenu`) that throws, as a failing OS service would. */
export const FAULT_ENV = 'KEYGATE_STAND_IN_FAIL'

class Recorder {
  readonly calls: RecordedCall[] = []
  ready = false

  record(call: string, args: unknown[]): void {
    this.calls.push({
      seq: this.calls.length + 1,
      call,
      args: args.map((arg) => describe(arg)),
      afterReady: this.ready
    })
    if (process.env[FAULT_ENV] === call)
      throw new Error(`${call} failed (injected by the boot test)`)
  }
}

export const recorder = new Recorder()

/** Electron's own wording for a main-process API used before `ready`. */
export function requireReady(what: string): void {
  if (!recorder.ready) throw new Error(`${what} cannot be used before the app is ready`)
}

export function requireNotReady(what: string): void {
  if (recorder.ready) throw new Error(`${what} should be called before app is ready`)
}
