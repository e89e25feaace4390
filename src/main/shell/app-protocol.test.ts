import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { app } from '../../../test/electron-stand-in/app'
import { protocol } from '../../../test/electron-stand-in/protocol-session'
import { recorder } from '../../../test/electron-stand-in/recorder'
import { registerAppScheme, serveRenderer } from './app-protocol'
import { contentSecurityPolicy } from './csp'

// The `app:` protocol against the recording stand-in of `electron`, serving files from a temp root.
vi.mock('electron', () => import('../../../test/electron-stand-in/index'))

const root = mkdtempSync(path.join(os.tmpdir(), 'keygate-app-protocol-'))
const sibling = `${root}-old`

beforeAll(() => {
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Keygate</title>')
  mkdirSync(path.join(root, 'assets'))
  writeFileSync(path.join(root, 'assets', 'app.js'), 'export {}')
  mkdirSync(sibling)
  writeFileSync(path.join(sibling, 'x.js'), 'stale')
})

/*
 * The app's start-up as far as the protocol goes, inside whichever case runs first (not in a
 * hook: a mutation run runs single cases and credits only code run inside them).
 */
let ready = false
function becomeReady(): void {
  if (ready) return
  ready = true
  registerAppScheme()
  app.emitReady()
}
let served = false
function serve(): void {
  becomeReady()
  if (served) return
  served = true
  serveRenderer(root)
}
afterAll(() => {
  rmSync(root, { recursive: true, force: true })
  rmSync(sibling, { recursive: true, force: true })
})

describe('registerAppScheme', () => {
  it('declares app: standard and secure, with fetch and code cache, before ready', () => {
    becomeReady()
    const call = recorder.calls.find((r) => r.call === 'protocol.registerSchemesAsPrivileged')
    expect(call?.afterReady).toBe(false)
    expect(call?.args).toEqual([
      [
        {
          scheme: 'app',
          privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true }
        }
      ]
    ])
  })
})

describe('serveRenderer', () => {
  it('serves index.html at the root and files under it, with the CSP and nosniff', async () => {
    serve()
    for (const [url, body, type] of [
      ['app://keygate/', '<!doctype html><title>Keygate</title>', 'text/html'],
      ['app://keygate/assets/app.js', 'export {}', 'text/javascript']
    ] as const) {
      const response = await protocol.request(url)
      expect(response.status).toBe(200)
      expect(await response.text()).toBe(body)
      expect(response.headers.get('Content-Type')).toBe(type)
      expect(response.headers.get('Content-Security-Policy')).toBe(contentSecurityPolicy())
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
    }
  })

  it('answers HEAD as GET, and refuses any other method', async () => {
    serve()
    expect((await protocol.request('app://keygate/index.html', { method: 'HEAD' })).status).toBe(
      200
    )
    const post = await protocol.request('app://keygate/index.html', { method: 'POST', body: 'x' })
    expect(post.status).toBe(405)
  })

  it('answers 404 for a missing file and for anything outside the root', async () => {
    serve()
    for (const url of [
      'app://keygate/missing.js',
      'app://keygate/..%2Fkeygate-x%2Fx.js',
      `app://keygate/..%2F${path.basename(sibling)}%2Fx.js`,
      'app://other/index.html'
    ]) {
      const response = await protocol.request(url)
      expect([url, response.status]).toEqual([url, 404])
      expect(await response.text()).toBe('Not found')
    }
  })
})
