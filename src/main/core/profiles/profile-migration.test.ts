import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../logging/logger'
import { createRedactor } from '../logging/redactor'
import { createConfStoreFactory } from '../storage/conf-store'
import { createMemoryCredentialStore } from './memory-credential-store'
import { createProfileService } from './profile-service'
import { unseal } from './secret-binding'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** `profiles.json` as Keygate wrote it before `baseUrl` and, for the oldest, before `kind`. */
const oldStore = {
  profiles: [
    {
      id: 'before-kinds',
      name: 'Production',
      dashboardUrl: 'https://dash.example.com',
      customCa: null,
      allowSelfSigned: true,
      pollIntervalSec: 60,
      notifications: true,
      secretStorage: 'keychain',
      demo: false,
      createdAt: '2026-01-05T09:00:00.000Z'
    },
    {
      id: 'with-kind',
      name: 'Staging',
      kind: 'tyk-classic',
      dashboardUrl: 'http://127.0.0.1:3000',
      customCa: null,
      pinnedSha256: null,
      reconfirmCertificate: false,
      allowHttp: false,
      pollIntervalSec: 30,
      notifications: false,
      secretStorage: 'keychain',
      demo: false,
      createdAt: '2026-06-01T09:00:00.000Z'
    }
  ]
}

function openOld() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-old-profiles-'))
  dirs.push(dir)
  const file = path.join(dir, 'profiles.json')
  writeFileSync(file, JSON.stringify(oldStore))
  const keychain = createMemoryCredentialStore()
  const service = createProfileService({
    store: createConfStoreFactory(dir)('profiles'),
    keychain,
    session: createMemoryCredentialStore(),
    redactor: createRedactor(),
    logger: createLogger(() => undefined)
  })
  return { service, keychain, saved: () => readFileSync(file, 'utf8') }
}

describe('profiles saved by an older Keygate', () => {
  it('load with their Dashboard URL as baseUrl and, where they had none, kind tyk-classic', () => {
    const { service } = openOld()
    const [production, staging] = service.list()
    expect(production).toMatchObject({
      id: 'before-kinds',
      kind: 'tyk-classic',
      baseUrl: 'https://dash.example.com',
      reconfirmCertificate: true
    })
    expect(staging).toMatchObject({
      id: 'with-kind',
      kind: 'tyk-classic',
      baseUrl: 'http://127.0.0.1:3000',
      pollIntervalSec: 30
    })
    for (const profile of [production, staging]) expect(profile).not.toHaveProperty('dashboardUrl')
  })

  it('keep working with the key saved for them, and are written back in the new shape', async () => {
    const { service, keychain, saved } = openOld()
    await keychain.set('with-kind', 'staging-secret-9a7c')
    const { profile, secret } = await service.credentialFor('with-kind')
    expect(secret).toBe('staging-secret-9a7c')
    expect(profile.baseUrl).toBe('http://127.0.0.1:3000')
    // The key is bound to the address it was saved for under the old name.
    expect(unseal((await keychain.get('with-kind'))!).binding?.origin).toBe('http://127.0.0.1:3000')

    await service.update('with-kind', { name: 'Staging EU' })
    const written = JSON.parse(saved()) as { profiles: Record<string, unknown>[] }
    expect(written.profiles).toHaveLength(2)
    for (const entry of written.profiles) {
      expect(entry).not.toHaveProperty('dashboardUrl')
      expect(entry).toMatchObject({ kind: 'tyk-classic' })
      expect(entry).toHaveProperty('baseUrl')
    }
    expect(await service.secretFor('with-kind')).toBe('staging-secret-9a7c')
  })
})
