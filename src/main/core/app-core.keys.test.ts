import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../emulator'
import { dispatchInvoke } from '../ipc/dispatch'
import { addProfile, started, stopAll, type Harness } from './app-core.test-harness'
import { concealedFormats } from './keys/concealed-formats'
import { UNREVEALED_TTL_MS } from './keys/key-vault'
import { FakeClock } from './testing/fake-clock'

let portal: RunningEmulator

beforeAll(async () => {
  portal = await startEmulator({ port: 0, secret: 'keys-test-secret-9e8f', seed: 7 })
})
afterAll(() => portal.close())
beforeEach(() => portal.control.reset())
afterEach(stopAll)

/** Approves a pending auth-token request; answers its key's handle and the RawKey the portal issued. */
async function approveTokenRequest(h: Harness): Promise<{ keyId: string; rawKey: string }> {
  const profile = await addProfile(h.core, portal, 'Keys')
  const view = await h.core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
  const request = view.items.find((r) => r.catalogue?.authType === 'authToken')
  if (!request) throw new Error('the seed has no pending authToken request')
  const outcome = await h.core.handlers['requests:approve']({
    profileId: profile.id,
    requestId: request.id
  })
  if (!outcome.keyId) throw new Error(`approval did not issue a key: ${outcome.message}`)
  const [issued] = portal.control.issuedKeys(request.id)
  return { keyId: outcome.keyId, rawKey: String(issued!.response.RawKey) }
}

describe('keys:copy', () => {
  it('puts the issued key on main’s clipboard by its handle, marked concealed, until quit clears it', async () => {
    const h = await started()
    const { keyId, rawKey } = await approveTokenRequest(h)
    const copied = await dispatchInvoke(h.core.handlers, 'keys:copy', { keyId, field: 'rawKey' })
    expect(copied).toEqual({ ok: true, value: { clearAfterSec: 45 } })
    expect(h.clipboard.text).toBe(rawKey)
    expect(h.clipboard.formats).toEqual(concealedFormats(process.platform))

    await h.core.stop()
    expect(h.clipboard.text).toBe('')
  })

  it('quit leaves alone what the user copied after the key', async () => {
    const h = await started()
    const { keyId } = await approveTokenRequest(h)
    await h.core.handlers['keys:copy']({ keyId, field: 'rawKey' })
    h.clipboard.copiedElsewhere('the developer’s ticket number')
    await h.core.stop()
    expect(h.clipboard.text).toBe('the developer’s ticket number')
  })

  it('copies only fields of a held credential: no value from the caller, nothing once dismissed', async () => {
    const h = await started()
    const { keyId } = await approveTokenRequest(h)
    const unknownField = await dispatchInvoke(h.core.handlers, 'keys:copy', {
      keyId,
      field: 'anything'
    })
    expect(unknownField).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const noSuchField = await dispatchInvoke(h.core.handlers, 'keys:copy', {
      keyId,
      field: 'password'
    })
    expect(noSuchField).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    // A value sent along is not what gets copied: the contract takes a handle only.
    await dispatchInvoke(h.core.handlers, 'keys:copy', {
      keyId,
      field: 'rawKey',
      value: 'attacker-chosen-text'
    })
    expect(h.clipboard.written).not.toContain('attacker-chosen-text')

    await h.core.handlers['keys:dismiss']({ keyId })
    const afterDismiss = await dispatchInvoke(h.core.handlers, 'keys:copy', {
      keyId,
      field: 'rawKey'
    })
    expect(afterDismiss).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(h.clipboard.written).toHaveLength(1)
  })
})

describe('keys not revealed in time', () => {
  it('are dropped from main after 10 minutes; the pushed notice says so, and nothing reveals or copies them', async () => {
    const clock = new FakeClock()
    const h = await started({ clock })
    const { keyId } = await approveTokenRequest(h)
    await clock.advance(UNREVEALED_TTL_MS - 1)
    expect(await h.core.handlers['keys:list'](undefined)).toEqual([
      expect.objectContaining({ id: keyId, status: 'ready' })
    ])
    await clock.advance(1)
    const expired = [expect.objectContaining({ id: keyId, status: 'expired' })]
    expect(h.pushed('keys:changed').at(-1)).toEqual(expired)
    expect(await h.core.handlers['keys:list'](undefined)).toEqual(expired)
    for (const call of [
      dispatchInvoke(h.core.handlers, 'keys:reveal', { keyId }),
      dispatchInvoke(h.core.handlers, 'keys:copy', { keyId, field: 'rawKey' })
    ]) {
      expect(await call).toMatchObject({
        ok: false,
        error: {
          code: 'NOT_FOUND',
          message: expect.stringMatching(/not revealed within 10 minutes/)
        }
      })
    }
    expect(h.clipboard.written).toEqual([])
    await h.core.handlers['keys:dismiss']({ keyId })
    expect(await h.core.handlers['keys:list'](undefined)).toEqual([])
  })

  it('a revealed key stays until the dialog closes it', async () => {
    const clock = new FakeClock()
    const h = await started({ clock })
    const { keyId, rawKey } = await approveTokenRequest(h)
    expect(await h.core.handlers['keys:reveal']({ keyId })).toEqual({ kind: 'key', rawKey })
    await clock.advance(UNREVEALED_TTL_MS * 2)
    expect(await h.core.handlers['keys:reveal']({ keyId })).toEqual({ kind: 'key', rawKey })
    await h.core.handlers['keys:dismiss']({ keyId })
    expect(await h.core.handlers['keys:list'](undefined)).toEqual([])
  })
})
