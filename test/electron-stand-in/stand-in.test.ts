import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  app,
  BrowserWindow,
  ipcMain,
  MessageChannelMain,
  protocol,
  session,
  Tray,
  utilityProcess
} from './index'
import { recorder } from './recorder'
import { nativeImage } from './shell-ui'

// One stand-in per module instance: the cases run in order, before and after `ready`.
describe('the electron stand-in enforces Electron’s rules', () => {
  it('before ready: no window, tray, session or protocol handler; setPath needs an absolute path', () => {
    expect(() => new BrowserWindow({})).toThrow('Cannot create BrowserWindow before app is ready')
    expect(() => new Tray(nativeImage.createFromPath('/nowhere.png'))).toThrow(
      /before the app is ready/
    )
    expect(() => session.defaultSession).toThrow(/before the app is ready/)
    expect(() => protocol.handle('app', () => new Response())).toThrow(/before the app is ready/)
    expect(() => app.setPath('userData', 'relative/dir')).toThrow('Path must be absolute')
  })

  it('after ready: no privileged schemes, no userData move, no sandbox switch', () => {
    process.env.KEYGATE_STAND_IN_HOME = '/tmp/keygate-stand-in-unit'
    protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true } }])
    app.emitReady()
    expect(() => protocol.registerSchemesAsPrivileged([{ scheme: 'late' }])).toThrow(
      /should be called before app is ready/
    )
    expect(() => app.setPath('userData', '/tmp/elsewhere')).toThrow(
      /should be called before app is ready/
    )
    expect(() => app.enableSandbox()).toThrow(/should be called before app is ready/)
  })

  it('one ipcMain handler per channel', () => {
    ipcMain.handle('profiles:list', () => [])
    expect(() => ipcMain.handle('profiles:list', () => [])).toThrow(
      "Attempted to register a second handler for 'profiles:list'"
    )
  })

  it('a destroyed window or its contents cannot be used; sends must be cloneable', () => {
    const window = new BrowserWindow({ show: false })
    expect(() => window.webContents.send('x', () => 'not cloneable')).toThrow()
    window.destroy()
    expect(() => window.show()).toThrow('Object has been destroyed')
    expect(() => window.webContents.send('profiles:changed', [])).toThrow(
      'Object has been destroyed'
    )
  })

  it('utilityProcess.fork runs a real Node child that exchanges messages', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-utility-'))
    const child = path.join(dir, 'echo.mjs')
    writeFileSync(
      child,
      "process.on('message', (m) => { process.send({ echo: m }); process.exit(0) })"
    )
    const worker = utilityProcess.fork(child)
    const answer = new Promise((resolve) => worker.once('message', resolve))
    const exited = new Promise((resolve) => worker.once('exit', resolve))
    worker.postMessage({ ping: 1 })
    expect(await answer).toEqual({ echo: { ping: 1 } })
    expect(await exited).toBe(0)
  })

  it('MessageChannelMain delivers once the receiving port is started', async () => {
    const { port1, port2 } = new MessageChannelMain()
    const received = new Promise((resolve) => port2.once('message', resolve))
    port1.postMessage({ hello: 'core' })
    port2.start()
    expect(await received).toEqual({ data: { hello: 'core' }, ports: [] })
    port1.close()
  })

  it('records every call in order with whether ready had fired', () => {
    const calls = recorder.calls.map((c) => `${c.call}${c.afterReady ? '' : ' (before ready)'}`)
    expect(calls.indexOf('protocol.registerSchemesAsPrivileged (before ready)')).toBeLessThan(
      calls.indexOf('<ready>')
    )
    expect(calls).toContain('ipcMain.handle')
    expect(calls.filter((c) => c.startsWith('new BrowserWindow'))).toEqual([
      'new BrowserWindow (before ready)',
      'new BrowserWindow'
    ])
  })
})
