import { EventEmitter } from 'node:events'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { invokeChannels, type KeygateApi } from '../shared/ipc'

// The real `electron` module needs its binary; the preload only touches these two objects.
const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invocations: [] as unknown[][],
  renderer: null as unknown as import('node:events').EventEmitter
}))
vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events')
  const ipcRenderer = Object.assign(new Emitter(), {
    invoke: (...args: unknown[]) => {
      electron.invocations.push(args)
      return Promise.resolve({ ok: true, value: args[0] })
    }
  })
  electron.renderer = ipcRenderer
  return {
    contextBridge: {
      exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value)
    },
    ipcRenderer
  }
})

let api: KeygateApi
beforeAll(async () => {
  await import('./index')
  api = electron.exposed.get('keygate') as KeygateApi
})

describe('preload', () => {
  it('exposes window.keygate and nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['keygate'])
    expect(Object.keys(api).sort()).toEqual([...invokeChannels, 'on'].sort())
    expect(Object.isFrozen(api)).toBe(true)
  })

  it('forwards each call as ipcRenderer.invoke(channel, args)', async () => {
    const ref = { profileId: 'p1', requestId: 'r1' }
    await expect(api['requests:approve'](ref)).resolves.toEqual({
      ok: true,
      value: 'requests:approve'
    })
    await api['profiles:list']()
    expect(electron.invocations).toEqual([
      ['requests:approve', ref],
      ['profiles:list', undefined]
    ])
  })

  it('hands listeners the payload only, and unsubscribes', () => {
    const received: unknown[][] = []
    const off = api.on('requests:changed', (...args: unknown[]) => received.push(args))
    const renderer = electron.renderer as EventEmitter
    renderer.emit('requests:changed', { sender: 'ipc-event' }, { profileIds: ['p1'] })
    expect(received).toEqual([[{ profileIds: ['p1'] }]])
    off()
    renderer.emit('requests:changed', { sender: 'ipc-event' }, { profileIds: ['p2'] })
    expect(received).toHaveLength(1)
    expect(renderer.listenerCount('requests:changed')).toBe(0)
  })

  it('refuses to subscribe to channels outside the contract', () => {
    const on = api.on as (event: string, listener: () => void) => () => void
    expect(() => on('electron-store-get-data', () => {})).toThrow(/Unknown Keygate event/)
  })
})
