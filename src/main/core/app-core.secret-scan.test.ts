import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../emulator'
import type { PushMessage } from '../../shared/ipc'
import { createAppCore } from './app-core'
import { waitFor } from './app-core.test-harness'
import { createLogger } from './logging/logger'
import { createMemoryCredentialStore } from './profiles/memory-credential-store'
import { createConfStoreFactory } from './storage/conf-store'
import { FakeClipboard } from './testing/fake-clipboard'
import { findLeaks } from './testing/leak-search'
import { RecordingNotifier } from './testing/recording-notifier'

const secret = 'KGSECRET-scan-7d1f0c9a44e2'
const wrongSecret = 'KGWRONG-scan-19bb33aa70'

let portal: RunningEmulator
let dir: string
beforeAll(async () => {
  // Raw keys on the developers (hashKeys off), so every request's embedded developer carries some.
  portal = await startEmulator({
    port: 0,
    secret,
    seed: 5,
    seedPending: 20,
    seedApproved: 3,
    switches: { hashKeys: false }
  })
  dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-scan-'))
})
afterAll(async () => {
  await portal.close()
  rmSync(dir, { recursive: true, force: true })
})

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const full = path.join(root, name)
    return statSync(full).isDirectory() ? filesUnder(full) : [full]
  })
}

describe('secret scan', () => {
  it('leaves neither the API secret nor any issued credential, in raw, base64 or URL-encoded form, in the store files, the log, pushes, IPC answers or notifications, even when the Dashboard echoes them in errors', async () => {
    const lines: string[] = []
    const notifier = new RecordingNotifier()
    const pushes: PushMessage[] = []
    const answers: unknown[] = []
    const core = createAppCore({
      stores: createConfStoreFactory(path.join(dir, 'stores')),
      credentials: createMemoryCredentialStore(),
      notifier,
      clipboard: new FakeClipboard(),
      logger: createLogger((line) => lines.push(line)),
      userName: 'scan-admin',
      tuning: { undoSeconds: 0 }
    })
    core.onPush((message) => pushes.push(message))
    const h = core.handlers
    const keep = async <T>(promise: Promise<T>): Promise<T> => {
      const value = await promise
      answers.push(value)
      return value
    }
    const attempt = async (promise: Promise<unknown>): Promise<void> => {
      try {
        answers.push(await promise)
      } catch (e) {
        answers.push(e instanceof Error ? e.message : e)
      }
    }
    await core.start()

    const url = `${portal.url}/`
    await keep(h['profiles:test']({ draft: { name: 'Scan portal', baseUrl: url, secret } }))
    await keep(
      h['profiles:test']({ draft: { name: 'Scan portal', baseUrl: url, secret: wrongSecret } })
    )
    const profile = await keep(h['profiles:create']({ name: 'Scan portal', baseUrl: url, secret }))
    const session = await keep(
      h['profiles:create']({ name: 'Session', baseUrl: url, secret, sessionOnly: true })
    )
    const wrong = await keep(
      h['profiles:create']({ name: 'Wrong', baseUrl: url, secret: wrongSecret })
    )
    await keep(h['profiles:test']({ id: profile.id }))
    await keep(h['profiles:test']({ id: wrong.id }))
    await attempt(h['requests:list']({ profileId: wrong.id, status: 'pending' }))

    const inbox = await keep(h['requests:list']({ status: 'pending' }))
    const ours = inbox.items.filter((r) => r.profileId === profile.id)
    const byAuth = (authType: string) => ours.find((r) => r.catalogue?.authType === authType)
    const toApprove = ['authToken', 'basic', 'oauth']
      .map(byAuth)
      .filter((r) => r !== undefined)
      .map((r) => r.id)
    expect(toApprove.length).toBeGreaterThanOrEqual(2)
    for (const requestId of toApprove) {
      await keep(h['requests:get']({ profileId: profile.id, requestId }))
      const outcome = await keep(h['requests:approve']({ profileId: profile.id, requestId }))
      expect(outcome.keyId).not.toBeNull()
      // Revealed on purpose: the credential goes to the key dialog, and must go nowhere else.
      await h['keys:reveal']({ keyId: outcome.keyId! })
    }
    const notices = await keep(h['keys:list'](undefined))
    await keep(h['keys:dismiss']({ keyId: notices[0]!.id }))
    // One approval queued offline and sent in the background: its key goes to the vault only.
    const queuedApproval = ours.find(
      (r) => !toApprove.includes(r.id) && r.catalogue?.authType === 'authToken'
    )!
    portal.control.setFaults({ offline: true })
    const queued = await keep(
      h['requests:approve']({ profileId: profile.id, requestId: queuedApproval.id })
    )
    expect(queued.state).toBe('queued')
    portal.control.clearFaults()
    const background = await waitFor('the queued approval to be sent', async () => {
      await h['requests:list']({ profileId: profile.id, status: 'pending', refresh: true })
      return (await h['keys:list'](undefined)).find((n) => n.requestId === queuedApproval.id)
    })
    await h['keys:reveal']({ keyId: background.id })
    toApprove.push(queuedApproval.id)
    const toDecline = ours.find((r) => !toApprove.includes(r.id))!
    await keep(
      h['requests:decline']({ profileId: session.id, requestId: toDecline.id, reason: 'scan' })
    )
    await attempt(h['requests:approve']({ profileId: wrong.id, requestId: ours.at(-1)!.id }))

    const developers = await keep(h['developers:list']({ profileId: profile.id }))
    const policies = await keep(h['policies:list']({ profileId: profile.id }))
    await keep(
      h['requests:create']({
        profileId: profile.id,
        developerId: developers[0]!.id,
        policyIds: [policies[0]!.id]
      })
    )
    const approvedView = await keep(
      h['requests:list']({ profileId: profile.id, status: 'approved' })
    )
    // Their embedded developers hold raw keys, OAuth clients and the like.
    for (const request of approvedView.items.slice(0, 5)) {
      await keep(h['requests:get']({ profileId: profile.id, requestId: request.id }))
    }
    // New requests arrive: the notification carries no credential either.
    portal.control.generatePending(2)
    await keep(h['requests:list']({ profileId: profile.id, status: 'pending', refresh: true }))
    await waitFor('a new-request notification', () => notifier.shown.length > 0)

    // A Dashboard that echoes the request (the API secret) and its answers (issued keys) in errors.
    portal.control.setFaults({ errorRate: 1, errorEcho: 'request' })
    await attempt(h['requests:list']({ profileId: profile.id, status: 'pending', refresh: true }))
    await keep(h['profiles:test']({ id: profile.id }))
    const echoed = ours.find((r) => !toApprove.includes(r.id) && r.catalogue?.authType === 'basic')!
    await attempt(h['requests:approve']({ profileId: profile.id, requestId: echoed.id }))
    // 503: Keygate takes the write as not applied and shows the Dashboard's text, echo included.
    portal.control.setFaults({
      errorEcho: 'answer',
      errorStatus: 503,
      errorMethods: ['POST', 'PUT', 'DELETE']
    })
    await attempt(
      h['outbox:retry']({
        opId: (await h['outbox:list'](undefined)).find((item) => item.requestId === echoed.id)!.opId
      })
    )
    await waitFor('the echoed approval', () => portal.control.issuedKeys(echoed.id).length > 0)
    await waitFor('the echoed failure to settle', async () =>
      (await h['outbox:list'](undefined)).some(
        (item) => item.requestId === echoed.id && item.state !== 'sending' && item.lastError
      )
    )
    await keep(h['outbox:list'](undefined))
    portal.control.setFaults({
      errorEcho: 'none',
      errorMethods: ['GET', 'POST', 'PUT', 'DELETE'],
      errorStatus: 500
    })
    await keep(h['requests:list']({ status: 'pending' }))
    portal.control.setFaults({ errorRate: 0, authFail: true })
    await keep(h['requests:list']({ status: 'pending' }))
    portal.control.clearFaults()
    await keep(h['profiles:update']({ id: profile.id, patch: { name: 'Scan portal 2', secret } }))
    await keep(h['decisions:list']({ profileId: profile.id }))
    await keep(h['decisions:list']({ profileId: session.id }))
    await keep(h['profiles:list'](undefined))
    await keep(h['app:info'](undefined))
    await core.stop()

    const issued = toApprove.flatMap((id) => portal.control.issuedKeys(id))
    expect(issued).toHaveLength(toApprove.length)
    // Every credential the portal holds: those issued here, the echoed one, the seeded ones.
    const issuedSecrets = portal.control
      .exportState()
      .keys.flatMap(({ response }) =>
        ['RawKey', 'Password', 'secret']
          .map((field) => response[field])
          .filter((value): value is string => typeof value === 'string' && value.length > 0)
      )
    expect(issuedSecrets.length).toBeGreaterThanOrEqual(toApprove.length + 4)
    const forbidden = [secret, wrongSecret, ...issuedSecrets]

    const files = filesUnder(dir)
    const stored = files.map((file) => readFileSync(file, 'utf8')).join('\n')
    expect(files.map((file) => path.basename(file)).sort()).toEqual([
      'cache.json',
      'decisions.json',
      'outbox.json',
      'profiles.json',
      'seen.json'
    ])
    expect(stored).toContain('Scan portal 2')
    expect(stored).toContain('scan-admin')
    // The scan covers what the queue and the cache really hold.
    expect(stored).toContain(queued.opId)
    expect(stored).toContain(toDecline.id)
    const logged = lines.join('\n')
    expect(lines.length).toBeGreaterThan(5)
    const rendererBound = JSON.stringify({ pushes, answers })
    expect(rendererBound).toContain('Scan portal')
    const notified = JSON.stringify(notifier.shown)
    expect(notified).toContain('key request')
    expect(
      findLeaks(
        {
          'store files': stored,
          'log lines': logged,
          'renderer-bound data': rendererBound,
          notifications: notified
        },
        forbidden
      )
    ).toEqual([])
    // The echoes did happen, and were scrubbed on their way to the outbox and its pushes.
    expect(rendererBound.includes('authorization [redacted]')).toBe(true)
    expect(/RawKey\W{1,6}\[redacted\]/.test(rendererBound)).toBe(true)
  })
})
