import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../emulator'
import { keychainTestEnv } from '../../src/main/core/profiles/test-keychain'
import { contentSecurityPolicy } from '../../src/main/shell/csp'
import { invokeChannels } from '../../src/shared/ipc'
import type { RecordedCall } from '../electron-stand-in/recorder'
import {
  bootApp,
  ensureBuilt,
  preloadBundle,
  removeTempHomes,
  rendererDir,
  tempHome,
  type BootedApp,
  type Exit
} from './boot-harness'
import type { FetchAnswer, WindowState } from './child/commands'

/**
 * Boot tests: the BUILT main bundle (out/main/index.js) runs in a Node child process with
 * `electron` resolved to the recording stand-in; the core, electron-store, the log, the emulator
 * and the built renderer/preload files are real.
 *
 * The documented start-up order (README "Test"). Before `ready`, while the entry evaluates:
 *   1. app.setPath('userData')        – only honoured before ready
 *   2. app.enableSandbox()            – only before ready
 *   3. protocol.registerSchemesAsPrivileged([app]) – only before ready
 *   4. app.requestSingleInstanceLock()  (lock in the userData just set), on('second-instance')
 *   5. app.on('web-contents-created')   (navigation guards for every WebContents)
 *   6. app.whenReady()
 * After `ready`, in launch():
 *   7. session.defaultSession: permission request/check handlers, CSP on headers received
 *   8. protocol.handle('app')          – the renderer can be served
 *   9. ipcMain.handle for every contract channel – before any page can call
 *  10. Tray, then the application menu, then before-quit / window-all-closed listeners
 *  11. new BrowserWindow → loadURL('app://keygate/index.html') → show on ready-to-show
 */
const documentedOrder: { call: string; arg?: string; beforeReady: boolean }[] = [
  { call: 'app.setPath', arg: 'userData', beforeReady: true },
  { call: 'app.enableSandbox', beforeReady: true },
  { call: 'protocol.registerSchemesAsPrivileged', beforeReady: true },
  { call: 'app.requestSingleInstanceLock', beforeReady: true },
  { call: 'app.on', arg: 'second-instance', beforeReady: true },
  { call: 'app.on', arg: 'web-contents-created', beforeReady: true },
  { call: 'app.whenReady', beforeReady: true },
  { call: '<ready>', beforeReady: false },
  { call: 'session.setPermissionRequestHandler', beforeReady: false },
  { call: 'session.setPermissionCheckHandler', beforeReady: false },
  { call: 'session.webRequest.onHeadersReceived', beforeReady: false },
  { call: 'protocol.handle', arg: 'app', beforeReady: false },
  ...invokeChannels.map((channel) => ({
    call: 'ipcMain.handle',
    arg: channel,
    beforeReady: false
  })),
  { call: 'new Tray', beforeReady: false },
  { call: 'Menu.setApplicationMenu', beforeReady: false },
  { call: 'app.on', arg: 'before-quit', beforeReady: false },
  { call: 'app.on', arg: 'window-all-closed', beforeReady: false },
  { call: 'new BrowserWindow', beforeReady: false },
  { call: 'BrowserWindow#1.loadURL', arg: 'app://keygate/index.html', beforeReady: false },
  { call: 'BrowserWindow#1.show', beforeReady: false }
]

/** The milestones of `documentedOrder` as they happened: each one's first match after the last. */
function startUpSequence(records: RecordedCall[]): string[] {
  const seen: string[] = []
  let from = 0
  for (const step of documentedOrder) {
    const at = records.findIndex(
      (r, i) =>
        i >= from && r.call === step.call && (step.arg === undefined || r.args[0] === step.arg)
    )
    if (at < 0) break
    const record = records[at] as RecordedCall
    seen.push(
      `${step.call}${step.arg ? `(${step.arg})` : ''}${record.afterReady ? '' : ' before ready'}`
    )
    from = at + 1
  }
  return seen
}
const expectedSequence = documentedOrder.map(
  (step) =>
    `${step.call}${step.arg ? `(${step.arg})` : ''}${step.beforeReady ? ' before ready' : ''}`
)

const expectedTypes: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json'
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? filesUnder(full) : [full]
  })
}

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex')

type Answer<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } }

async function windowLoaded(app: BootedApp): Promise<WindowState> {
  return app.until('the window to load', async () => {
    const state = await app.command<WindowState>({ op: 'window' })
    return state.exists && !state.loading && state.url !== '' && state
  })
}

async function quitAndWait(app: BootedApp): Promise<number | null> {
  await app.command({ op: 'quit' }).catch(() => undefined)
  return (await app.exited).code
}

let emulator: RunningEmulator
const PENDING = 6
/** Each boot is a process start: generous, for a machine busy with the rest of npm test. */
const BOOT_TIMEOUT = 90_000

beforeAll(async () => {
  ensureBuilt()
  emulator = await startEmulator({
    port: 0,
    secret: 'boot-test-dashboard-secret',
    seed: 12,
    seedPending: PENDING,
    seedApproved: 2
  })
}, 120_000)

afterAll(async () => {
  await emulator?.close()
  removeTempHomes()
})

describe('first start on an empty folder', { timeout: BOOT_TIMEOUT }, () => {
  let app: BootedApp
  let records: RecordedCall[]

  beforeAll(async () => {
    app = bootApp({ home: tempHome() })
    await windowLoaded(app)
    records = await app.records()
  }, BOOT_TIMEOUT)

  afterAll(async () => {
    if (!app) return
    // Quit from the tray menu, as a user on a desktop without a dock would.
    await app.command({ op: 'trayMenuClick', label: 'Quit Keygate' })
    const { code, records } = await app.exited
    expect(code).toBe(0)
    const quitOrder = (records ?? []).map((r) => r.call).filter((c) => c === 'app.quit')
    // The first quit is held until the core has stopped; the second one goes through.
    expect(quitOrder).toEqual(['app.quit', 'app.quit'])
    const log = readFileSync(
      path.join(app.home, 'appData', 'Keygate', 'logs', 'keygate.log'),
      'utf8'
    )
    expect(log).toContain('Keygate core stopped')
  })

  it('starts in the documented order', () => {
    expect(startUpSequence(records)).toEqual(expectedSequence)
    expect(records.filter((r) => r.call === 'new BrowserWindow')).toHaveLength(1)
    // userData moved into the stand-in's appData, before anything used the old one.
    const setPath = records.find((r) => r.call === 'app.setPath')
    expect(setPath?.args).toEqual(['userData', path.join(app.home, 'appData', 'Keygate')])
  })

  it('creates the window with the secure preferences and loads app://keygate/index.html', async () => {
    const state = await app.command<WindowState>({ op: 'window' })
    const options = state.options as { webPreferences: Record<string, unknown>; show: boolean }
    expect(options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      preload: preloadBundle
    })
    expect(options.show).toBe(false)
    expect(state).toMatchObject({ url: 'app://keygate/index.html', visible: true, focused: true })
    const scheme = records.find((r) => r.call === 'protocol.registerSchemesAsPrivileged')
    expect(scheme?.args[0]).toEqual([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true }
      }
    ])
    expect(records.some((r) => r.call.endsWith('preload-error'))).toBe(false)
  })

  it('serves every built renderer file with its content type, the CSP and nosniff', async () => {
    const files = filesUnder(rendererDir)
    expect(files.length).toBeGreaterThan(2)
    for (const file of files) {
      const relative = path.relative(rendererDir, file).split(path.sep).join('/')
      const answer = await app.command<FetchAnswer>({
        op: 'fetch',
        url: `app://keygate/${relative}`
      })
      expect(answer.status, relative).toBe(200)
      expect(answer.headers['content-type'], relative).toBe(expectedTypes[path.extname(file)])
      expect(answer.headers['content-security-policy'], relative).toBe(contentSecurityPolicy())
      expect(answer.headers['x-content-type-options'], relative).toBe('nosniff')
      expect(sha(Buffer.from(answer.body, 'base64')), relative).toBe(sha(readFileSync(file)))
    }
    const root = await app.command<FetchAnswer>({ op: 'fetch', url: 'app://keygate/' })
    expect(sha(Buffer.from(root.body, 'base64'))).toBe(
      sha(readFileSync(path.join(rendererDir, 'index.html')))
    )
  })

  it('refuses what lies outside the renderer folder, other hosts and writes', async () => {
    const outside = [
      'app://keygate/../package.json',
      'app://keygate/..%2F..%2Fpackage.json',
      'app://keygate/%2e%2e%2f%2e%2e%2fpackage.json',
      'app://keygate/assets/..%2F..%2F..%2Fpackage.json',
      'app://keygate/..%5C..%5Cpackage.json',
      'app://keygate/%2Fetc%2Fpasswd',
      'app://keygate/index.html%00.png',
      'app://keygate/%E0%A4%A',
      'app://keygate/no-such-file.js',
      'app://other-host/index.html'
    ]
    for (const url of outside) {
      const answer = await app.command<FetchAnswer>({ op: 'fetch', url })
      expect(answer.status, url).toBe(404)
      expect(Buffer.from(answer.body, 'base64').toString(), url).not.toMatch(
        /"name": "keygate"|root:/
      )
    }
    const post = await app.command<FetchAnswer>({
      op: 'fetch',
      url: 'app://keygate/index.html',
      method: 'POST'
    })
    expect(post.status).toBe(405)
  })

  it('registers every contract channel exactly once, and no other invoke channel', async () => {
    const handled = await app.command<string[]>({ op: 'handledChannels' })
    expect([...handled].sort()).toEqual([...invokeChannels].sort())
    // The only other main listener is electron-store's own (its renderer helper, unused here).
    const listeners = records.filter((r) => r.call === 'ipcMain.on').map((r) => r.args[0])
    expect([...new Set(listeners)]).toEqual(['electron-store-get-data'])
  })

  it('answers every channel for the app top frame and refuses other origins and subframes', async () => {
    for (const channel of invokeChannels) {
      // A malformed argument reaches validation only through the registered handler.
      const fromApp = await app.command<Answer<unknown>>({
        op: 'invoke',
        channel,
        args: { bogus: 1 }
      })
      expect(fromApp.ok ? 'ok' : fromApp.error.code, channel).toBe('VALIDATION')
      for (const frame of [
        { frameUrl: 'https://evil.example/index.html' },
        { frameUrl: 'app://keygate.evil/index.html' },
        { frameUrl: 'app://keygate/index.html', subframe: true }
      ]) {
        const refused = await app.command<Answer<unknown>>({
          op: 'invoke',
          channel,
          args: undefined,
          ...frame
        })
        expect(
          refused.ok ? 'ok' : refused.error.code,
          `${channel} from ${JSON.stringify(frame)}`
        ).toBe('FORBIDDEN')
      }
    }
  })

  it('exposes exactly the contract to the page, through the built preload', async () => {
    const keys = await app.command<{ window: string[]; keygate: string[] }>({ op: 'pageKeys' })
    expect(keys.window).toEqual(['keygate'])
    expect([...keys.keygate].sort()).toEqual([...invokeChannels, 'on'].sort())
    const info = await app.command<Answer<{ version: string }>>({
      op: 'pageCall',
      channel: 'app:info'
    })
    expect(info).toMatchObject({ ok: true, value: { version: '0.1.0' } })
  })

  it("keeps the page in the app: only the docs and a profile's own Dashboard go to the browser", async () => {
    expect(await app.command({ op: 'navigate', url: 'https://tyk.io/docs/portal/' })).toBe(false)
    expect(await app.command({ op: 'navigate', url: 'https://portal.example.com/docs' })).toBe(
      false
    )
    expect(await app.command({ op: 'navigate', url: 'file:///etc/passwd' })).toBe(false)
    expect(await app.command({ op: 'windowOpen', url: 'https://tyk.io/' })).toEqual({
      action: 'deny'
    })
    const opened = (await app.records())
      .filter((r) => r.call === 'shell.openExternal')
      .map((r) => r.args[0])
    // No profile names portal.example.com, and tyk.io's home is not under its docs.
    expect(opened).toEqual(['https://tyk.io/docs/portal/'])
    expect((await app.command<WindowState>({ op: 'window' })).url).toBe('app://keygate/index.html')
  })

  it('grants only the clipboard write to the app origin and sets the CSP on app documents only', async () => {
    const ask = (permission: string, requestingUrl: string): Promise<unknown> =>
      app.command({ op: 'permission', permission, requestingUrl })
    expect(await ask('clipboard-sanitized-write', 'app://keygate/index.html')).toBe(true)
    expect(await ask('clipboard-sanitized-write', 'https://evil.example/')).toBe(false)
    expect(await ask('media', 'app://keygate/index.html')).toBe(false)
    const check = (permission: string, requestingOrigin: string): Promise<unknown> =>
      app.command({ op: 'permissionCheck', permission, requestingOrigin })
    expect(await check('clipboard-sanitized-write', 'app://keygate')).toBe(true)
    expect(await check('clipboard-sanitized-write', 'https://evil.example')).toBe(false)
    expect(await check('notifications', 'app://keygate')).toBe(false)
    const appDoc = await app.command<{ responseHeaders: Record<string, string[]> }>({
      op: 'headers',
      url: 'app://keygate/index.html',
      responseHeaders: {
        'content-security-policy': ['default-src *'],
        'Content-Type': ['text/html']
      }
    })
    expect(appDoc.responseHeaders).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [contentSecurityPolicy()]
    })
    expect(
      await app.command({ op: 'headers', url: 'https://x.example/', responseHeaders: {} })
    ).toEqual({})
  })

  it('creates a profile against the emulator through the page and lists its requests (session-only secret)', async () => {
    await app.command({ op: 'pageSubscribe', event: 'profiles:changed' })
    const created = await app.command<Answer<{ id: string }>>({
      op: 'pageCall',
      channel: 'profiles:create',
      args: {
        name: 'Boot emulator',
        baseUrl: emulator.url,
        secret: emulator.secret,
        sessionOnly: true,
        notifications: true
      }
    })
    expect(created.ok).toBe(true)
    const listed = await app.command<Answer<{ items: { id: string }[] }>>({
      op: 'pageCall',
      channel: 'requests:list',
      args: { status: 'pending', refresh: true }
    })
    expect(listed.ok && listed.value.items.map((item) => item.id).sort()).toEqual(
      emulator.control.requestIds({ approved: false }).sort()
    )
  })

  it('pushes reach the page through webContents.send and the preload', async () => {
    const events = await app.until('profiles:changed on the page', async () => {
      const got = await app.command<
        { event: string; payload: { pendingCount: number | null }[] }[]
      >({
        op: 'pageEvents'
      })
      return got.some((e) => e.payload[0]?.pendingCount === PENDING) && got
    })
    expect(events[0]?.event).toBe('profiles:changed')
    const sends = (await app.records()).filter((r) => /^webContents#\d+\.send$/.test(r.call))
    expect(sends.map((r) => r.args[0])).toContain('profiles:changed')
  })

  it('keeps the tray tooltip and the badge on the pending count', async () => {
    const tray = await app.until('the tray to show the pending count', async () => {
      const state = await app.command<{ toolTip: string } | null>({ op: 'tray' })
      return state?.toolTip === `Keygate: ${PENDING} pending key requests` && state
    })
    expect(tray).toMatchObject({
      imageEmpty: false,
      menu: ['Show Keygate', 'separator', 'Quit Keygate']
    })
    const badges = (await app.records())
      .filter((r) => r.call === 'app.setBadgeCount')
      .map((r) => r.args[0])
    expect(badges.at(-1)).toBe(PENDING)
  })

  it('shows the window when a new-request notification is clicked', async () => {
    await app.command({ op: 'windowAction', action: 'minimize' })
    await app.command({ op: 'pageSubscribe', event: 'notification:clicked' })
    const [added] = emulator.control.generatePending(1)
    await app.command({
      op: 'pageCall',
      channel: 'requests:list',
      args: { status: 'pending', refresh: true }
    })
    const shown = await app.until('a notification', async () => {
      const list = await app.command<{ title: string; body: string }[]>({ op: 'notifications' })
      return list.length > 0 && list
    })
    expect(shown).toHaveLength(1)
    await app.command({ op: 'clickNotification', index: 0 })
    const state = await app.until('the window to come back', async () => {
      const s = await app.command<WindowState>({ op: 'window' })
      return s.visible && !s.minimized && s.focused && s
    })
    expect(state.count).toBe(1)
    const events = await app.until('notification:clicked on the page', async () => {
      const got = await app.command<{ event: string; payload: { requestId: string } }[]>({
        op: 'pageEvents'
      })
      return got.find((e) => e.event === 'notification:clicked')
    })
    expect(events.payload.requestId).toBe(added)
  })

  it('starts the demo portal (the emulator bundled into main) and lists its requests', async () => {
    const demo = await app.command<Answer<{ id: string; demo: boolean }>>({
      op: 'pageCall',
      channel: 'demo:start'
    })
    if (!demo.ok) throw new Error(demo.error.message)
    const listed = await app.command<Answer<{ items: unknown[] }>>({
      op: 'pageCall',
      channel: 'requests:list',
      args: { profileId: demo.value.id, status: 'pending', refresh: true }
    })
    expect(listed.ok && listed.value.items.length).toBeGreaterThan(0)
  })

  it('File > Add Portal shows the window and tells the page', async () => {
    await app.command({ op: 'windowAction', action: 'hide' })
    await app.command({ op: 'pageSubscribe', event: 'menu:command' })
    await app.command({ op: 'menuClick', id: 'add-portal' })
    expect(await app.command<WindowState>({ op: 'window' })).toMatchObject({
      visible: true,
      focused: true
    })
    const event = await app.until('menu:command on the page', async () => {
      const got = await app.command<{ event: string; payload: unknown }[]>({ op: 'pageEvents' })
      return got.find((e) => e.event === 'menu:command')
    })
    expect(event.payload).toEqual({ command: 'add-portal' })
  })
})

describe('closing the window', { timeout: BOOT_TIMEOUT }, () => {
  it.skipIf(process.platform === 'darwin')(
    'quits the app once the core has stopped (Linux, Windows)',
    async () => {
      const app = bootApp({ home: tempHome() })
      await windowLoaded(app)
      await app.command({ op: 'windowAction', action: 'close' }).catch(() => undefined)
      const { code, records } = await app.exited
      expect(code).toBe(0)
      const calls = (records ?? []).map((r) => r.call)
      expect(calls.indexOf('BrowserWindow#1.close')).toBeLessThan(calls.indexOf('app.quit'))
      const log = readFileSync(
        path.join(app.home, 'appData', 'Keygate', 'logs', 'keygate.log'),
        'utf8'
      )
      expect(log).toContain('Keygate core stopped')
    }
  )
})

describe('single instance', { timeout: BOOT_TIMEOUT }, () => {
  it('a second start on the same folder focuses the first window and quits', async () => {
    const home = tempHome()
    const first = bootApp({ home })
    try {
      await windowLoaded(first)
      await first.command({ op: 'windowAction', action: 'minimize' })
      const second = bootApp({ home })
      const { code, records } = await second.exited
      expect(code).toBe(0)
      expect(records?.some((r) => r.call === 'new BrowserWindow' || r.call === '<ready>')).toBe(
        false
      )
      const state = await first.until('the first window to come back', async () => {
        const s = await first.command<WindowState>({ op: 'window' })
        return s.visible && !s.minimized && s.focused && s
      })
      expect(state.count).toBe(1)
      expect((await first.records()).some((r) => r.call === '<second-instance>')).toBe(true)
    } finally {
      expect(await quitAndWait(first)).toBe(0)
    }
  })
})

/**
 * The app's exit once `call` has failed, or null when it is still running without having called
 * app.exit. Its failure handling is promise callbacks only, so it has run by the time the app
 * reads its next message from the test.
 */
async function exitAfterFailureOf(app: BootedApp, call: string): Promise<Exit | null> {
  const made = app
    .until(`${call} to be made`, async () => (await app.records()).some((r) => r.call === call))
    .catch(() => undefined)
  const first = await Promise.race([app.exited, made.then(() => 'made' as const)])
  if (first !== 'made') return first
  const calls = await app.records().catch(() => null)
  if (calls && !calls.some((r) => r.call === 'app.exit')) return null
  return app.exited
}

/** The error box the app showed before it exited with code 1 (the test fails otherwise). */
function errorBoxOnExit(exit: Exit | null, stuck: string): string {
  expect(exit?.code, stuck).toBe(1)
  const errorBox = exit?.records?.find((r) => r.call === 'dialog.showErrorBox')
  expect(errorBox?.args[0]).toBe('Keygate could not start')
  expect(exit?.records?.at(-1)?.call).toBe('app.exit')
  return String(errorBox?.args[1])
}

/** Boots with `call` failing; the exit, or null (the app killed) when it kept running. */
async function bootWithFailing(call: string): Promise<Exit | null> {
  const app = bootApp({ home: tempHome(), env: { KEYGATE_STAND_IN_FAIL: call } })
  const exit = await exitAfterFailureOf(app, call)
  if (!exit) app.kill()
  return exit
}

describe('a failure in launch', { timeout: BOOT_TIMEOUT }, () => {
  it('a failing OS service after the core exists (the tray) shows the error box and exits with code 1', async () => {
    const exit = await bootWithFailing('new Tray')
    expect(errorBoxOnExit(exit, 'the app kept running without a window')).toContain(
      'new Tray failed'
    )
    expect(exit?.records?.some((r) => r.call === 'new BrowserWindow')).toBe(false)
  })

  it('a renderer that cannot be loaded (files missing) shows the error box and exits with code 1', async () => {
    // What a package without out/renderer does: every app:// read fails, so the page never loads.
    const exit = await bootWithFailing('net.fetch')
    expect(errorBoxOnExit(exit, 'the app kept running with a window that never shows')).toContain(
      'app://keygate/index.html'
    )
  })

  it('a store folder that cannot be created shows the error box and exits with code 1', async () => {
    const home = tempHome()
    // The store folder is a file: opening the stores fails inside launch().
    mkdirSync(path.join(home, 'appData', 'Keygate'), { recursive: true })
    writeFileSync(path.join(home, 'appData', 'Keygate', 'stores'), 'not a folder')
    const exit = await bootApp({ home }).exited
    expect(errorBoxOnExit(exit, 'the app kept running')).toContain(
      path.join(home, 'appData', 'Keygate', 'logs')
    )
    expect(exit.records?.some((r) => r.call === 'new BrowserWindow')).toBe(false)
  })
})

const keychainSkip = keychainTestEnv.available ? null : keychainTestEnv.skipReason
if (keychainSkip && keychainTestEnv.required) {
  throw new Error(`KEYGATE_REQUIRE_KEYCHAIN=1 but ${keychainSkip}`)
}
if (keychainSkip) console.log(`boot test "quit and restart" skipped: ${keychainSkip}`)

describe.skipIf(keychainSkip !== null)(
  'quit and restart on the same folder (OS keychain)',
  { timeout: BOOT_TIMEOUT },
  () => {
    let portal: RunningEmulator

    beforeAll(async () => {
      portal = await startEmulator({
        port: 0,
        secret: 'boot-restart-secret',
        seed: 3,
        seedPending: 3
      })
    })

    afterAll(async () => {
      await portal?.close()
    })

    it('quit stops the core; a restart reads the secret back and replays the queued decline', async () => {
      const home = tempHome()
      const first = bootApp({ home })
      await windowLoaded(first)
      const created = await first.command<Answer<{ id: string }>>({
        op: 'pageCall',
        channel: 'profiles:create',
        args: {
          name: 'Restart',
          baseUrl: portal.url,
          secret: portal.secret,
          notifications: false
        }
      })
      if (!created.ok) throw new Error(created.error.message)
      const profileId = created.value.id
      await first.command({
        op: 'pageCall',
        channel: 'requests:list',
        args: { status: 'pending', refresh: true }
      })
      const [requestId] = portal.control.requestIds({ approved: false })
      if (!requestId) throw new Error('the emulator has no pending request')

      portal.control.setFaults({ offline: true })
      const declined = await first.command<Answer<{ state: string }>>({
        op: 'pageCall',
        channel: 'requests:decline',
        args: { profileId, requestId, reason: 'boot test' }
      })
      expect(declined.ok && declined.value.state).not.toBe('done')
      expect(await quitAndWait(first)).toBe(0)
      const log = readFileSync(path.join(home, 'appData', 'Keygate', 'logs', 'keygate.log'), 'utf8')
      expect(log).toContain('Keygate core stopped')

      portal.control.setFaults({ offline: false })
      const second = bootApp({ home })
      try {
        await windowLoaded(second)
        const item = await second.until('the queued decline to be replayed', async () => {
          const outbox = await second.command<Answer<{ requestId: string; state: string }[]>>({
            op: 'pageCall',
            channel: 'outbox:list'
          })
          const found = outbox.ok ? outbox.value.find((i) => i.requestId === requestId) : undefined
          return found?.state === 'done' && found
        })
        expect(item.requestId).toBe(requestId)
        expect(portal.control.getRequest(requestId)).toBeNull()
        const removed = await second.command<Answer<null>>({
          op: 'pageCall',
          channel: 'profiles:delete',
          args: { id: profileId }
        })
        expect(removed.ok).toBe(true)
      } finally {
        expect(await quitAndWait(second)).toBe(0)
      }
    })
  }
)
