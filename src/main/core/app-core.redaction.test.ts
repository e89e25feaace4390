import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../../emulator'
import { addProfile, createHarness, started, stopAll, waitFor } from './app-core.test-harness'
import type { Harness } from './app-core.test-harness'
import { createMemoryCredentialStore } from './profiles/memory-credential-store'
import { findLeaks } from './testing/leak-search'

const secret = 'redaction-test-secret-40c1f2'

let portal: RunningEmulator
beforeAll(async () => {
  portal = await startEmulator({ port: 0, secret, seed: 21, seedPending: 8 })
})
afterAll(() => portal.close())
beforeEach(() => {
  portal.control.clearFaults()
  portal.control.reset()
})
afterEach(stopAll)

/** Everything the harness's core wrote or sent: its store files, log lines and pushes. */
function traces(harness: Harness, answers: unknown[]): Record<string, string> {
  const files = readdirSync(harness.dir).map((name) =>
    readFileSync(path.join(harness.dir, name), 'utf8')
  )
  return {
    'store files': files.join('\n'),
    log: harness.lines.join('\n'),
    pushes: JSON.stringify(harness.pushes),
    'IPC answers and errors': JSON.stringify(answers),
    notifications: JSON.stringify(harness.notifier)
  }
}

async function settle<T>(answers: unknown[], call: Promise<T>): Promise<void> {
  try {
    answers.push(await call)
  } catch (e) {
    answers.push(e instanceof Error ? { name: e.name, message: e.message } : e)
  }
}

describe('Dashboard error texts', () => {
  it('a 500 that echoes the approve answer leaves the issued key in no log, error, push or file', async () => {
    const harness = await started({ tuning: { actionWaitMs: 2_000 } })
    const { core } = harness
    const profile = await addProfile(core, portal, 'Echoing portal', secret)
    const view = await core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
    const target = view.items.find((r) => r.catalogue?.authType === 'authToken')!
    portal.control.setFaults({
      errorRate: 1,
      errorEcho: 'answer',
      errorMethods: ['POST', 'PUT', 'DELETE']
    })
    const answers: unknown[] = []
    await settle(
      answers,
      core.handlers['requests:approve']({ profileId: profile.id, requestId: target.id })
    )
    const [issued] = await waitFor(
      'the echoed approval',
      () => portal.control.issuedKeys(target.id)[0] && portal.control.issuedKeys(target.id)
    )
    const rawKey = String(issued!.response.RawKey)
    await waitFor('the failure to reach the outbox', async () => {
      const items = await core.handlers['outbox:list'](undefined)
      return items.some((item) => item.lastError !== null)
    })
    await settle(answers, core.handlers['outbox:list'](undefined))
    await settle(
      answers,
      core.handlers['requests:list']({ profileId: profile.id, status: 'pending', refresh: true })
    )
    portal.control.clearFaults()
    await core.stop()
    // The 500 was taken as an answer lost after the Dashboard applied it, the key unseen.
    expect(JSON.stringify(answers)).toContain('"reason":"response-lost"')
    expect(findLeaks(traces(harness, answers), [rawKey, secret])).toEqual([])
  })

  it('a Message echoing the API secret is scrubbed after a restart, when the secret was only read back from the keychain', async () => {
    const credentials = createMemoryCredentialStore()
    const first = await started({ credentials })
    const profile = await addProfile(first.core, portal, 'Restarted portal', secret)
    await first.core.stop()

    const again = createHarness({ credentials, dir: first.dir })
    await again.core.start()
    portal.control.setFaults({ errorRate: 1, errorEcho: 'request' })
    const answers: unknown[] = []
    await settle(
      answers,
      again.core.handlers['requests:list']({
        profileId: profile.id,
        status: 'pending',
        refresh: true
      })
    )
    await settle(
      answers,
      again.core.handlers['requests:get']({ profileId: profile.id, requestId: 'abc' })
    )
    await settle(answers, again.core.handlers['profiles:test']({ id: profile.id }))
    await again.core.stop()
    const where = traces(again, answers)
    expect(where['IPC answers and errors']).toContain('authorization [redacted]')
    expect(findLeaks(where, [secret])).toEqual([])
  })
})
