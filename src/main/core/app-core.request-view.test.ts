import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../emulator'
import { addProfile, started, stopAll } from './app-core.test-harness'
import { HIDDEN } from './request-view'

const secret = 'request-view-secret-5c2e81'
/** Credentials planted in the Dashboard's documents: none may reach the renderer. */
const planted = {
  devKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  subscriptionKey: 'f0e1d2c3b4a5968778695a4b3c2d1e0f',
  oauthSecret: 'oauth-client-secret-Zq81x',
  ssoKey: 'sso-key-Kq0n1-planted',
  nonce: 'nonce-planted-77aa',
  pwHistory: '$2a$10$plantedBcryptHashForHistory0123456789',
  password: 'developer-password-planted',
  requestKey: 'eyJvcmciOiJwbGFudGVkIiwiaWQiOiJrZXkifQ',
  jwtSecret: 'jwt-hmac-secret-planted-9911',
  accessToken: 'dcr-access-token-planted-4410'
}

let portal: RunningEmulator
let dir: string
let requestId: string

beforeAll(async () => {
  const seedPortal = await startEmulator({ port: 0, secret, seed: 11, seedPending: 2 })
  const state = seedPortal.control.exportState()
  await seedPortal.close()
  const developer = state.developers[0]!
  const policyId = String(state.policies[0]!._id)
  Object.assign(developer, {
    keys: { [planted.devKey]: [policyId] },
    subscriptions: { [policyId]: planted.subscriptionKey },
    oauth_clients: { [policyId]: [{ client_id: 'client-1', secret: planted.oauthSecret }] },
    sso_key: planted.ssoKey,
    nonce: planted.nonce,
    PWHistory: [planted.pwHistory],
    password: planted.password
  })
  state.configuration = {
    ...state.configuration,
    dcr_options: { access_token: planted.accessToken }
  }
  dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-view-'))
  const dataFile = path.join(dir, 'state.json')
  writeFileSync(dataFile, JSON.stringify(state))
  portal = await startEmulator({ port: 0, secret, dataFile })
  ;[requestId] = portal.control.insertRequests([
    {
      by_user: String(developer.id ?? developer._id),
      apply_policies: [policyId],
      key: planted.requestKey,
      jwt_secret: planted.jwtSecret,
      fields: { reason: 'Mobile app launch', company: 'Acme Ltd', client_secret: 'typed-in-field' },
      approved: false,
      date_created: new Date().toISOString()
    }
  ]) as [string]
})
afterAll(async () => {
  await portal.close()
  rmSync(dir, { recursive: true, force: true })
})
afterEach(stopAll)

describe('requests crossing IPC', () => {
  it('requests:get and requests:list carry no credential from the Dashboard, and say where one was hidden', async () => {
    const { core } = await started()
    const profile = await addProfile(core, portal, 'View portal')
    const detail = await core.handlers['requests:get']({ profileId: profile.id, requestId })
    const list = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending',
      refresh: true
    })
    const crossing = JSON.stringify({ detail, list })
    for (const [name, value] of Object.entries(planted)) {
      expect(crossing.includes(value), `${name} reached the renderer`).toBe(false)
    }
    expect(crossing).not.toContain('typed-in-field')

    const raw = detail.raw as Record<string, Record<string, unknown>>
    expect(raw.portal_developer).toMatchObject({
      keys: HIDDEN,
      subscriptions: HIDDEN,
      oauth_clients: HIDDEN,
      sso_key: HIDDEN,
      PWHistory: HIDDEN,
      email: detail.developer.email
    })
    expect(raw).toMatchObject({ key: HIDDEN, jwt_secret: HIDDEN, id: requestId })
    expect(detail.fields).toEqual({
      reason: 'Mobile app launch',
      company: 'Acme Ltd',
      client_secret: HIDDEN
    })
    expect(list.items.find((item) => item.id === requestId)?.fields.company).toBe('Acme Ltd')
  })

  it("the developer's subscriptions cross as policy names and dates with a has-access flag, never their key ids", async () => {
    const { core } = await started()
    const profile = await addProfile(core, portal, 'Subscriptions portal')
    const state = portal.control.exportState()
    const policy = state.policies[0]!
    const detail = await core.handlers['requests:get']({ profileId: profile.id, requestId })
    expect(detail.subscriptions).toEqual([
      { policyId: String(policy._id), policyName: String(policy.name), since: null }
    ])
    expect(detail.flags?.map((flag) => flag.kind)).toContain('has-access')
    const list = await core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
    const row = list.items.find((item) => item.id === requestId)
    expect(row?.flags?.find((flag) => flag.kind === 'has-access')?.text).toBe(
      `Developer already holds ${String(policy.name)}`
    )
    const crossing = JSON.stringify({ detail, list })
    for (const value of [planted.devKey, planted.subscriptionKey]) {
      expect(crossing).not.toContain(value)
    }
  })
})
