import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AppFailure } from '../../../shared/result'
import { createKeytarCredentialStore } from '../../adapters/keytar-credential-store'
import { toAppError } from '../errors'
import { createLogger } from '../logging/logger'
import { createRedactingLogger, createRedactor } from '../logging/redactor'
import type { CredentialStore } from '../ports'
import { createConfStoreFactory } from '../storage/conf-store'
import { createMemoryCredentialStore } from './memory-credential-store'
import { createProfileService, type ProfileChange } from './profile-service'
import { unseal } from './secret-binding'
import { keychainTestEnv } from './test-keychain'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function setup(keychain: CredentialStore = createMemoryCredentialStore(), dir?: string) {
  const dataDir = dir ?? mkdtempSync(path.join(os.tmpdir(), 'keygate-profiles-'))
  if (!dir) dirs.push(dataDir)
  const lines: string[] = []
  const redactor = createRedactor()
  const session = createMemoryCredentialStore()
  const service = createProfileService({
    store: createConfStoreFactory(dataDir)('profiles'),
    keychain,
    session,
    redactor,
    logger: createRedactingLogger(
      createLogger((line) => lines.push(line)),
      redactor
    )
  })
  const changes: ProfileChange[] = []
  service.onChange((change) => changes.push(change))
  const files = () =>
    readdirSync(dataDir).map((name) => readFileSync(path.join(dataDir, name), 'utf8'))
  return { service, dataDir, lines, changes, session, files }
}

async function failureOf(promise: Promise<unknown>): Promise<AppFailure> {
  try {
    await promise
  } catch (e) {
    if (e instanceof AppFailure) return e
    throw e
  }
  throw new Error('expected an AppFailure')
}

const unavailableMessage =
  'No OS keychain is available (test). On Linux, install gnome-keyring and libsecret.'
const noKeychain: CredentialStore = {
  status: async () => ({ available: false, message: unavailableMessage }),
  get: () => Promise.reject(new AppFailure('KEYCHAIN_UNAVAILABLE', unavailableMessage)),
  set: () => Promise.reject(new AppFailure('KEYCHAIN_UNAVAILABLE', unavailableMessage)),
  delete: () => Promise.reject(new AppFailure('KEYCHAIN_UNAVAILABLE', unavailableMessage))
}

/** The secret a credential store holds for `account`, unwrapped from its origin binding. */
async function storedSecret(store: CredentialStore, account: string): Promise<string | null> {
  const value = await store.get(account)
  return value === null ? null : unseal(value).secret
}

const input = {
  name: 'Production',
  baseUrl: 'https://dash.example.com/',
  secret: 'prod-secret-6f1e2d'
}

describe('profile service', () => {
  it('creates a profile with defaults, a uuid and a normalised URL; the secret goes to the keychain only', async () => {
    const keychain = createMemoryCredentialStore()
    const { service, files, changes } = setup(keychain)
    const profile = await service.create(input)
    expect(profile).toMatchObject({
      name: 'Production',
      kind: 'tyk-classic',
      baseUrl: 'https://dash.example.com',
      customCa: null,
      pinnedSha256: null,
      reconfirmCertificate: false,
      allowHttp: false,
      pollIntervalSec: 60,
      notifications: true,
      secretStorage: 'keychain',
      demo: false
    })
    expect(profile.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    )
    expect(profile).not.toHaveProperty('secret')
    expect(await storedSecret(keychain, profile.id)).toBe('prod-secret-6f1e2d')
    expect(await service.secretFor(profile.id)).toBe('prod-secret-6f1e2d')
    expect(await service.hasSecret(profile.id)).toBe(true)
    expect(files().join('\n')).not.toContain('prod-secret-6f1e2d')
    expect(changes).toEqual([{ id: profile.id, kind: 'created' }])
  })

  it('logs a change listener that throws; the change is saved and still reaches the other listeners', async () => {
    const { service, changes, lines } = setup()
    service.onChange(() => {
      throw new Error('listener broke')
    })
    const later: ProfileChange[] = []
    service.onChange((change) => later.push(change))
    const profile = await service.create(input)
    expect(service.get(profile.id).name).toBe('Production')
    expect(changes).toEqual([{ id: profile.id, kind: 'created' }])
    expect(later).toEqual([{ id: profile.id, kind: 'created' }])
    expect(lines.join('\n')).toContain('A profile change listener failed')
  })

  it('keeps SLA thresholds on the profile: 24/72 by default, editable, overdue after late', async () => {
    const { service, dataDir } = setup()
    const created = await service.create({
      name: 'SLA',
      baseUrl: 'https://dash.example.com',
      secret: 'sla-secret-1'
    })
    expect(created).toMatchObject({ slaWarnHours: 24, slaBreachHours: 72 })
    const updated = await service.update(created.id, { slaWarnHours: 4, slaBreachHours: 8 })
    expect(updated).toMatchObject({ slaWarnHours: 4, slaBreachHours: 8 })
    const refused = await failureOf(service.update(created.id, { slaBreachHours: 2 }))
    expect(refused.error).toMatchObject({ code: 'VALIDATION' })
    expect(refused.error.message).toMatch(/^slaBreachHours: /)
    const again = setup(createMemoryCredentialStore(), dataDir).service
    expect(again.get(created.id)).toMatchObject({ slaWarnHours: 4, slaBreachHours: 8 })
  })

  it('persists create, update and delete across a new service instance on the same dir', async () => {
    const keychain = createMemoryCredentialStore()
    const first = setup(keychain)
    const kept = await first.service.create({ ...input, pollIntervalSec: 30, notifications: false })
    const removed = await first.service.create({
      ...input,
      name: 'Staging',
      secret: 'staging-secret-1'
    })
    await first.service.update(kept.id, {
      name: 'Production EU',
      baseUrl: 'https://eu.dash.example.com//',
      customCa: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      secret: 'prod-eu-secret-41b0'
    })
    await first.service.delete(removed.id)

    const second = setup(keychain, first.dataDir)
    const profiles = second.service.list()
    expect(profiles).toHaveLength(1)
    expect(profiles[0]).toEqual({
      ...kept,
      name: 'Production EU',
      baseUrl: 'https://eu.dash.example.com',
      customCa: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'
    })
    expect(await second.service.secretFor(kept.id)).toBe('prod-eu-secret-41b0')
    expect(await keychain.get(removed.id)).toBeNull()
    expect((await failureOf(second.service.secretFor(removed.id))).error.code).toBe('NOT_FOUND')
    expect(first.changes.map((c) => c.kind)).toEqual(['created', 'created', 'updated', 'deleted'])
  })

  it('clears the custom CA with null and keeps fields a patch leaves out', async () => {
    const { service } = setup()
    const created = await service.create({ ...input, customCa: 'PEM' })
    const updated = await service.update(created.id, { customCa: null, secret: input.secret })
    expect(updated).toEqual({ ...created, customCa: null })
    expect(await service.update(created.id, { name: 'Renamed' })).toEqual({
      ...updated,
      name: 'Renamed'
    })
  })

  it('replaces the secret on update and leaves it alone when the patch has none', async () => {
    const keychain = createMemoryCredentialStore()
    const { service } = setup(keychain)
    const profile = await service.create(input)
    await service.update(profile.id, { name: 'Renamed' })
    expect(await storedSecret(keychain, profile.id)).toBe('prod-secret-6f1e2d')
    await service.update(profile.id, { secret: 'rotated-secret-77aa' })
    expect(await service.secretFor(profile.id)).toBe('rotated-secret-77aa')
  })

  it('needs the key again to go from https to http, even with the plain-http opt-in', async () => {
    const { service } = setup()
    const profile = await service.create(input)
    const failure = await failureOf(
      service.update(profile.id, { baseUrl: 'http://dash.example.com', allowHttp: true })
    )
    expect(failure.error).toMatchObject({
      code: 'VALIDATION',
      message: 'secret: Changing the Dashboard URL needs its API key again'
    })
    expect(service.get(profile.id).baseUrl).toBe('https://dash.example.com')
  })

  it('refuses a keychain profile with KEYCHAIN_UNAVAILABLE and the install hint, saving nothing', async () => {
    const { service, files } = setup(noKeychain)
    const failure = await failureOf(service.create(input))
    expect(failure.error).toEqual({
      code: 'KEYCHAIN_UNAVAILABLE',
      message: unavailableMessage,
      retryable: false
    })
    expect(service.list()).toEqual([])
    expect(files().join('\n')).not.toContain('prod-secret-6f1e2d')
  })

  it('keeps a session-only secret in memory: usable now, gone after a restart, never on disk', async () => {
    const first = setup(noKeychain)
    const profile = await first.service.create({ ...input, sessionOnly: true })
    expect(profile.secretStorage).toBe('session')
    expect(await first.service.secretFor(profile.id)).toBe('prod-secret-6f1e2d')
    expect(first.files().join('\n')).not.toContain('prod-secret-6f1e2d')

    const restarted = setup(noKeychain, first.dataDir)
    expect(restarted.service.get(profile.id)).toEqual(profile)
    expect(await restarted.service.hasSecret(profile.id)).toBe(false)
    const failure = await failureOf(restarted.service.secretFor(profile.id))
    expect(failure.error.code).toBe('AUTH_REJECTED')
    expect(failure.message).toMatch(/last session only: edit the profile and paste it again/)
  })

  it('moves the secret when the storage choice changes', async () => {
    const keychain = createMemoryCredentialStore()
    const { service, session } = setup(keychain)
    const profile = await service.create({ ...input, sessionOnly: true })
    expect(await keychain.get(profile.id)).toBeNull()

    const inKeychain = await service.update(profile.id, { sessionOnly: false })
    expect(inKeychain.secretStorage).toBe('keychain')
    expect(await storedSecret(keychain, profile.id)).toBe('prod-secret-6f1e2d')
    expect(await session.get(profile.id)).toBeNull()

    const backToSession = await service.update(profile.id, { sessionOnly: true })
    expect(backToSession.secretStorage).toBe('session')
    expect(await keychain.get(profile.id)).toBeNull()
    expect(await service.secretFor(profile.id)).toBe('prod-secret-6f1e2d')
  })

  it('will not move a session secret into a keychain that is not there', async () => {
    const { service } = setup(noKeychain)
    const profile = await service.create({ ...input, sessionOnly: true })
    const failure = await failureOf(service.update(profile.id, { sessionOnly: false }))
    expect(failure.error.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(service.get(profile.id).secretStorage).toBe('session')
  })

  it('rejects invalid input as VALIDATION and unknown ids as NOT_FOUND', async () => {
    const { service } = setup()
    let caught: unknown
    try {
      await service.create({ ...input, baseUrl: 'dash.example.com' })
    } catch (e) {
      caught = e
    }
    expect(toAppError(caught)).toMatchObject({ code: 'VALIDATION' })
    expect(toAppError(caught).message).toMatch(/Enter the Dashboard URL with http/)
    expect((await failureOf(service.update('missing', { name: 'x' }))).error.code).toBe('NOT_FOUND')
    expect((await failureOf(service.delete('missing'))).error.code).toBe('NOT_FOUND')
  })

  it('never writes the secret to a log line', async () => {
    const { service, lines } = setup()
    const profile = await service.create(input)
    await service.update(profile.id, { secret: 'rotated-secret-77aa' })
    await service.delete(profile.id)
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.join('\n')).not.toMatch(/prod-secret-6f1e2d|rotated-secret-77aa/)
  })
})

if (!keychainTestEnv.available) {
  console.log(`profile service keychain test skipped: ${keychainTestEnv.skipReason}`)
}

describe.runIf(keychainTestEnv.available)('profile service with the real OS keychain', () => {
  it('stores the secret under service keygate, account = profile id, and removes it on delete', async () => {
    const { service, files } = setup(createKeytarCredentialStore())
    const profile = await service.create({ ...input, secret: 'keychain-secret-3c9d' })
    const os = createKeytarCredentialStore()
    try {
      expect(await storedSecret(os, profile.id)).toBe('keychain-secret-3c9d')
      expect(files().join('\n')).not.toContain('keychain-secret-3c9d')
    } finally {
      await service.delete(profile.id)
    }
    expect(await os.get(profile.id)).toBeNull()
  })

  it('keeps the keychain entry bound to its origin: a new URL needs the key, a new key rebinds', async () => {
    const { service } = setup(createKeytarCredentialStore())
    const profile = await service.create({ ...input, secret: 'keychain-secret-3c9d' })
    try {
      const refused = await failureOf(
        service.update(profile.id, { baseUrl: 'https://elsewhere.example.net' })
      )
      expect(refused.error.message).toBe(
        'secret: Changing the Dashboard URL needs its API key again'
      )
      expect(await service.credentialFor(profile.id)).toMatchObject({
        profile: { baseUrl: 'https://dash.example.com' },
        secret: 'keychain-secret-3c9d'
      })
      await service.update(profile.id, {
        baseUrl: 'https://elsewhere.example.net',
        secret: 'elsewhere-secret-81f2'
      })
      expect(await service.credentialFor(profile.id)).toMatchObject({
        profile: { baseUrl: 'https://elsewhere.example.net' },
        secret: 'elsewhere-secret-81f2'
      })
    } finally {
      await service.delete(profile.id)
    }
  })
})

describe('ProfileService when the profiles file cannot be written', () => {
  it('rolls the new secret back out of the keychain and says what to do (disk full)', async () => {
    const keychain = createMemoryCredentialStore()
    const stored: string[] = []
    const recording: CredentialStore = {
      ...keychain,
      set: async (account, secret) => {
        stored.push(account)
        await keychain.set(account, secret)
      }
    }
    const redactor = createRedactor()
    const service = createProfileService({
      store: {
        get: () => undefined,
        set: () => {
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
            code: 'ENOSPC'
          })
        },
        delete: () => undefined,
        keys: () => []
      },
      keychain: recording,
      session: createMemoryCredentialStore(),
      redactor,
      logger: createRedactingLogger(
        createLogger(() => undefined),
        redactor
      )
    })
    const failure = await failureOf(
      service.create({ name: 'Full disk', baseUrl: 'https://d.example.com', secret: 'kg-s-1' })
    )
    expect(failure.error.code).toBe('INTERNAL')
    expect(failure.message).toMatch(/could not save the profile .*no space left on device/i)
    expect(failure.message).toMatch(/free disk space/i)
    expect(stored).toHaveLength(1)
    expect(await keychain.get(stored[0]!)).toBeNull()
    expect(service.list()).toEqual([])
  })

  it('puts the previous secret back when an update with a new one cannot be saved', async () => {
    const keychain = createMemoryCredentialStore()
    const values = new Map<string, unknown>()
    let diskFull = false
    const redactor = createRedactor()
    const service = createProfileService({
      store: {
        get: <T>(key: string) => structuredClone(values.get(key)) as T | undefined,
        set: (key, value) => {
          if (diskFull) {
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
              code: 'ENOSPC'
            })
          }
          values.set(key, structuredClone(value))
        },
        delete: (key) => void values.delete(key),
        keys: () => [...values.keys()]
      },
      keychain,
      session: createMemoryCredentialStore(),
      redactor,
      logger: createRedactingLogger(
        createLogger(() => undefined),
        redactor
      )
    })
    const profile = await service.create({
      name: 'Full disk',
      baseUrl: 'https://d.example.com',
      secret: 'kg-old-secret-1'
    })
    diskFull = true
    const failure = await failureOf(
      service.update(profile.id, {
        baseUrl: 'https://moved.example.com',
        secret: 'kg-new-secret-2'
      })
    )
    expect(failure.error.code).toBe('INTERNAL')
    expect(failure.message).toMatch(/could not save the profile .*no space left on device/i)
    expect(failure.message).toMatch(/free disk space/i)
    expect(await service.credentialFor(profile.id)).toMatchObject({
      profile: { baseUrl: 'https://d.example.com' },
      secret: 'kg-old-secret-1'
    })
  })
})
