import { beforeAll, describe, expect, it, vi } from 'vitest'
import { invokeChannels, type InvokeHandlers } from '../../shared/ipc'
import type { Logger } from '../core/ports'

type Handler = (event: { senderFrame: unknown }, args: unknown) => Promise<unknown> | unknown

// The real `electron` module needs its binary; registration only touches ipcMain.
const ipc = vi.hoisted(() => ({ handlers: new Map<string, Handler>() }))
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => {
      if (ipc.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      ipc.handlers.set(channel, handler)
    },
    removeHandler: (channel: string) => ipc.handlers.delete(channel)
  }
}))

let registerInvokeHandlers: typeof import('./register-invoke').registerInvokeHandlers
beforeAll(async () => {
  ;({ registerInvokeHandlers } = await import('./register-invoke'))
})

const warnings: unknown[] = []
const logger: Logger = {
  info: () => {},
  warn: (message, data) => void warnings.push({ message, data }),
  error: () => {}
}
const handlers = Object.fromEntries(
  invokeChannels.map((channel) => [channel, async () => `${channel} answered`])
) as unknown as InvokeHandlers
const topFrame = { url: 'app://keygate/index.html', parent: null }

describe('registerInvokeHandlers', () => {
  it('binds every channel, answers trusted calls and removes them all again', async () => {
    const dispose = registerInvokeHandlers({ handlers, appOrigin: 'app://keygate', logger })
    expect([...ipc.handlers.keys()].sort()).toEqual([...invokeChannels].sort())
    const answer = await ipc.handlers.get('keys:list')?.({ senderFrame: topFrame }, undefined)
    expect(answer).toEqual({ ok: true, value: 'keys:list answered' })
    dispose()
    expect(ipc.handlers.size).toBe(0)
  })

  it('refuses subframes and foreign pages with FORBIDDEN, and logs it', async () => {
    const dispose = registerInvokeHandlers({ handlers, appOrigin: 'app://keygate', logger })
    const call = ipc.handlers.get('profiles:list')
    for (const senderFrame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'app://keygate/index.html', parent: topFrame },
      null
    ]) {
      expect(await call?.({ senderFrame }, undefined)).toEqual({
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: 'Refused a request from a page that is not Keygate.',
          retryable: false
        }
      })
    }
    expect(warnings.splice(0)).toEqual(
      ['https://evil.example/', 'app://keygate/index.html', null].map((url) => ({
        message: 'Refused IPC from an untrusted frame',
        data: { channel: 'profiles:list', url }
      }))
    )
    dispose()
  })

  it('validates arguments of trusted calls', async () => {
    const dispose = registerInvokeHandlers({ handlers, appOrigin: 'app://keygate', logger })
    const answer = await ipc.handlers.get('requests:get')?.({ senderFrame: topFrame }, { x: 1 })
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    dispose()
  })

  it('logs an unexpected handler failure through the logger it was given', async () => {
    const errors: unknown[] = []
    const failing = {
      ...handlers,
      'keys:list': async () => {
        throw new Error('disk on fire')
      }
    } as InvokeHandlers
    const dispose = registerInvokeHandlers({
      handlers: failing,
      appOrigin: 'app://keygate',
      logger: { ...logger, error: (message) => void errors.push(message) }
    })
    await ipc.handlers.get('keys:list')?.({ senderFrame: topFrame }, undefined)
    expect(errors).toEqual(['keys:list failed unexpectedly'])
    dispose()
  })
})
