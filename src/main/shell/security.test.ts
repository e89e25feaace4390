import { EventEmitter } from 'node:events'
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { RecordingLogger } from '../core/testing/recording-logger'

type WindowOpenHandler = (details: { url: string }) => { action: string }

// The real `electron` module needs its binary; the guards only touch `app` and `shell`.
const electron = vi.hoisted(() => ({
  app: null as unknown as import('node:events').EventEmitter,
  opened: [] as string[]
}))
vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events')
  electron.app = new Emitter()
  return {
    app: electron.app,
    shell: {
      openExternal: async (url: string) => {
        electron.opened.push(url)
      }
    }
  }
})

let guardAllWebContents: typeof import('./security').guardAllWebContents
beforeAll(async () => {
  ;({ guardAllWebContents } = await import('./security'))
  guardAllWebContents('app://keygate', logger, () => ['https://dashboard.example.com'])
})

const logger = new RecordingLogger()

/** A WebContents as far as the guards see it: events plus the window-open handler slot. */
class FakeContents extends EventEmitter {
  openHandler: WindowOpenHandler | null = null
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.openHandler = handler
  }
}

/** Emits one navigation-style event the way Electron does and reports whether it was stopped. */
function fire(contents: FakeContents, name: string, url: string): boolean {
  let prevented = false
  contents.emit(name, { url, preventDefault: () => (prevented = true) })
  return prevented
}

function createdContents(): FakeContents {
  const contents = new FakeContents()
  electron.app.emit('web-contents-created', {}, contents)
  return contents
}

const flushPromises = () => new Promise((resolve) => setImmediate(resolve))

describe('guardAllWebContents', () => {
  beforeEach(() => {
    electron.opened.length = 0
    logger.lines.length = 0
  })

  it("stops navigation away from the app and opens a profile's Dashboard in the browser instead", async () => {
    const contents = createdContents()
    expect(fire(contents, 'will-navigate', 'https://dashboard.example.com/portal')).toBe(true)
    expect(fire(contents, 'will-navigate', 'https://evil.example/phish')).toBe(true)
    await flushPromises()
    expect(electron.opened).toEqual(['https://dashboard.example.com/portal'])
  })

  it('stops navigation to a lookalike origin or a non-http scheme, opening nothing', async () => {
    const contents = createdContents()
    expect(fire(contents, 'will-navigate', 'app://keygate.evil/index.html')).toBe(true)
    expect(fire(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true)
    await flushPromises()
    expect(electron.opened).toEqual([])
    expect(logger.lines.filter((line) => line.level === 'warn')).toHaveLength(2)
  })

  it('logs a refused URL cut to 200 characters', () => {
    const contents = createdContents()
    const long = `file:///${'a'.repeat(300)}`
    fire(contents, 'will-navigate', long)
    fire(contents, 'will-redirect', `https://evil.example/${'b'.repeat(300)}`)
    expect(logger.lines.map((line) => line.data)).toEqual([
      { url: long.slice(0, 200) },
      { url: `https://evil.example/${'b'.repeat(300)}`.slice(0, 200) }
    ])
  })

  it('lets in-app navigation through', async () => {
    const contents = createdContents()
    expect(fire(contents, 'will-navigate', 'app://keygate/index.html#/outbox')).toBe(false)
    await flushPromises()
    expect(electron.opened).toEqual([])
  })

  it('stops redirects away from the app, without opening them, and keeps in-app ones', () => {
    const contents = createdContents()
    expect(fire(contents, 'will-redirect', 'https://evil.example/')).toBe(true)
    expect(fire(contents, 'will-redirect', 'app://keygate/index.html')).toBe(false)
    expect(electron.opened).toEqual([])
    expect(logger.lines.map((line) => line.message)).toEqual([
      'Blocked a redirect away from the app'
    ])
  })

  it('refuses every webview and every new window, sending http(s) links to the browser', async () => {
    const contents = createdContents()
    expect(fire(contents, 'will-attach-webview', 'app://keygate/index.html')).toBe(true)
    expect(contents.openHandler?.({ url: 'https://tyk.io/docs/portal/' })).toEqual({
      action: 'deny'
    })
    expect(contents.openHandler?.({ url: 'app://keygate/index.html' })).toEqual({ action: 'deny' })
    await flushPromises()
    expect(electron.opened).toEqual(['https://tyk.io/docs/portal/'])
  })
})
