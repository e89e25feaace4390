import { describe, expect, it } from 'vitest'
import { startEmulator } from './index'
import { api, callError, controlCall, startTestEmulator } from './test-support'

describe('emulator lifecycle', () => {
  it('rejects a port that is taken, naming the cause', async () => {
    const first = await startTestEmulator({ seedPending: 1, seedApproved: 0 })
    try {
      await expect(startTestEmulator({ port: first.port })).rejects.toThrow(/EADDRINUSE/)
    } finally {
      await first.close()
    }
  })

  it('rejects an empty secret and bad seed counts before listening', async () => {
    await expect(startEmulator({ secret: '' })).rejects.toThrow(/secret/)
    await expect(startEmulator({ secret: 's', seedPending: -1 })).rejects.toThrow(/seedPending/)
  })

  it('closes cleanly while offline, and both listeners are gone afterwards', async () => {
    const emu = await startTestEmulator({ seedPending: 1, seedApproved: 0 })
    emu.control.setFaults({ offline: true })
    await emu.close()
    expect(await callError(controlCall(emu, 'GET', 'stats'))).toBe('ECONNREFUSED')
    expect(await callError(api(emu, 'GET', '/api/portal/catalogue'))).toBe('ECONNREFUSED')
  })

  it('serves an empty portal as {"Data":[],"Pages":0}', async () => {
    const emu = await startTestEmulator({ seedPending: 0, seedApproved: 0 })
    try {
      expect((await api(emu, 'GET', '/api/portal/requests')).text).toBe('{"Data":[],"Pages":0}')
    } finally {
      await emu.close()
    }
  })
})
