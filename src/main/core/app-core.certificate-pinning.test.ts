import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../emulator'
import { createHarness, errorOf, firstPoll, started, stopAll } from './app-core.test-harness'
import { createMemoryCredentialStore } from './profiles/memory-credential-store'
import { createConfStoreFactory } from './storage/conf-store'

const fixtures = path.join(import.meta.dirname, '../../../emulator/fixtures')
const cert = readFileSync(path.join(fixtures, 'test-cert.pem'), 'utf8')
const key = readFileSync(path.join(fixtures, 'test-key.pem'), 'utf8')
const fingerprint = new X509Certificate(cert).fingerprint256
const otherFingerprint = fingerprint.replace(/^../, fingerprint.startsWith('00') ? '11' : '00')
const secret = 'pinning-test-secret-4c8e'

let portal: RunningEmulator
beforeAll(async () => {
  portal = await startEmulator({ secret, seedPending: 4, seedApproved: 1, tls: { key, cert } })
})
afterAll(() => portal.close())
const dirs: string[] = []
afterEach(async () => {
  await stopAll()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const draft = (pinnedSha256?: string) => ({
  name: 'Self-signed',
  baseUrl: portal.url,
  secret,
  ...(pinnedSha256 ? { pinnedSha256 } : {})
})

describe('trust on first use: Test connection shows the certificate, the admin pins it', () => {
  it('shows an untrusted certificate’s fingerprint, then accepts exactly that one once confirmed', async () => {
    const { core } = await started()
    const first = await core.handlers['profiles:test']({ draft: draft() })
    expect(first.ok).toBe(false)
    expect(first.checks.find((c) => c.name === 'tls')).toMatchObject({ ok: false })
    expect(first.certificate).toMatchObject({
      sha256: fingerprint,
      subject: 'CN=keygate-emulator-test',
      changedFrom: null
    })

    const confirmed = await core.handlers['profiles:test']({ draft: draft(fingerprint) })
    expect(confirmed.ok).toBe(true)
    expect(confirmed.checks.find((c) => c.name === 'tls')?.message).toContain(fingerprint)

    const profile = await core.handlers['profiles:create'](draft(fingerprint.toLowerCase()))
    expect(profile.pinnedSha256).toBe(fingerprint)
    expect(await firstPoll(core, profile.id)).toBe(4)
  })

  it('needs the API key again to pin another certificate', async () => {
    const { core } = await started()
    const profile = await core.handlers['profiles:create'](draft(fingerprint))
    const error = await errorOf(
      core.handlers['profiles:update']({
        id: profile.id,
        patch: { pinnedSha256: otherFingerprint }
      })
    )
    expect(error.message).toContain('Trusting a different certificate needs the API key again')
    const cleared = await errorOf(
      core.handlers['profiles:update']({ id: profile.id, patch: { pinnedSha256: null } })
    )
    expect(cleared.code).toBe('VALIDATION')
  })

  it('names both fingerprints when the server’s certificate changed', async () => {
    const { core } = await started()
    const profile = await core.handlers['profiles:create'](draft(otherFingerprint))
    const view = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending',
      refresh: true
    })
    expect(view.sources[0]?.error?.code).toBe('TLS')
    expect(view.sources[0]?.error?.message).toContain(
      `the certificate changed: this profile trusts SHA-256 ${otherFingerprint}, the server presented ${fingerprint}`
    )
    const test = await core.handlers['profiles:test']({ id: profile.id })
    expect(test.certificate).toMatchObject({ sha256: fingerprint, changedFrom: otherFingerprint })
  })

  it('makes a profile saved with “allow self-signed” confirm its certificate again', async () => {
    const credentials = createMemoryCredentialStore()
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-pin-'))
    dirs.push(dir)
    const { core } = await started({ credentials, dir })
    const profile = await core.handlers['profiles:create'](draft(fingerprint))
    await stopAll()
    // As an earlier version saved it: any certificate accepted, the key stored as it is.
    const store = createConfStoreFactory(dir)('profiles')
    store.set(
      'profiles',
      (store.get<Record<string, unknown>[]>('profiles') ?? []).map(
        ({ pinnedSha256: _pin, reconfirmCertificate: _flag, ...rest }) => ({
          ...rest,
          allowSelfSigned: true
        })
      )
    )
    await credentials.set(profile.id, secret)

    const restarted = createHarness({ credentials, dir }).core
    const [summary] = await restarted.handlers['profiles:list'](undefined)
    expect(summary).toMatchObject({ pinnedSha256: null, reconfirmCertificate: true })
    expect(summary).not.toHaveProperty('allowSelfSigned')
    const view = await restarted.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending',
      refresh: true
    })
    expect(view.sources[0]?.error?.code).toBe('TLS')
    expect(view.sources[0]?.error?.message).toContain('confirm the certificate')
    const test = await restarted.handlers['profiles:test']({ id: profile.id })
    expect(test.certificate?.sha256).toBe(fingerprint)

    const pinned = await restarted.handlers['profiles:update']({
      id: profile.id,
      patch: { pinnedSha256: fingerprint, secret }
    })
    expect(pinned).toMatchObject({ pinnedSha256: fingerprint, reconfirmCertificate: false })
    expect(await firstPoll(restarted, profile.id)).toBe(4)
  })
})
