import { beforeAll, describe, expect, it } from 'vitest'
import { invokeChannels, pushChannels, type KeygateApi } from '../../src/shared/ipc'
import { RendererWorld } from '../electron-stand-in/renderer-world'
import { ensureBuilt, preloadBundle } from './boot-harness'

/**
 * The BUILT preload (out/preload/index.cjs) run as a sandboxed renderer runs it: one CommonJS
 * script in its own realm, `require` limited to `electron` and events/timers/url, the API
 * crossing through the stand-in's contextBridge.
 */
function loadPreload(contextIsolation = true): {
  world: RendererWorld
  calls: { channel: string; args: unknown[] }[]
} {
  const calls: { channel: string; args: unknown[] }[] = []
  const world = new RendererWorld(
    {
      standInLabel: 'webContents#test',
      invokeMain: async (channel, args) => {
        calls.push({ channel, args })
        return { ok: true, value: channel }
      }
    },
    contextIsolation
  )
  world.runSandboxedPreload(preloadBundle)
  return { world, calls }
}

beforeAll(() => ensureBuilt(), 120_000)

describe('the built preload in a sandboxed renderer', () => {
  it('exposes window.keygate and nothing else: one function per contract channel, plus on', () => {
    const { world } = loadPreload()
    expect([...world.mainWorld.keys()]).toEqual(['keygate'])
    const api = world.mainWorld.get('keygate') as Record<string, unknown>
    expect(Object.keys(api).sort()).toEqual([...invokeChannels, 'on'].sort())
    for (const value of Object.values(api)) expect(typeof value).toBe('function')
  })

  it('sends each call as ipcRenderer.invoke(channel, args) and hands back main’s answer', async () => {
    const { world, calls } = loadPreload()
    const api = world.mainWorld.get('keygate') as KeygateApi
    const ref = { profileId: 'p1', requestId: 'r1' }
    await expect(api['requests:decline']({ ...ref, reason: 'dup' })).resolves.toEqual({
      ok: true,
      value: 'requests:decline'
    })
    await api['profiles:list']()
    expect(calls).toEqual([
      { channel: 'requests:decline', args: [{ ...ref, reason: 'dup' }] },
      { channel: 'profiles:list', args: [undefined] }
    ])
  })

  it('delivers pushes as the payload only, for contract events only, and unsubscribes', () => {
    const { world } = loadPreload()
    const api = world.mainWorld.get('keygate') as KeygateApi
    const received: unknown[][] = []
    const off = api.on('outbox:changed', (...args: unknown[]) => received.push(args))
    world.deliver('outbox:changed', [[{ opId: 'o1' }]])
    expect(received).toEqual([[[{ opId: 'o1' }]]])
    off()
    world.deliver('outbox:changed', [[]])
    expect(received).toHaveLength(1)
    const on = api.on as (event: string, listener: () => void) => () => void
    for (const event of pushChannels) expect(() => on(event, () => {})()).not.toThrow()
    expect(() => on('electron-store-get-data', () => {})).toThrow(/Unknown Keygate event/)
  })

  it('needs no module beyond what a sandboxed preload may require', () => {
    // runSandboxedPreload throws "module not found" for anything else (zod, node:fs, ...).
    expect(() => loadPreload()).not.toThrow()
  })

  it('cannot expose anything without context isolation (Electron refuses)', () => {
    expect(() => loadPreload(false)).toThrow(/contextIsolation/)
  })
})
