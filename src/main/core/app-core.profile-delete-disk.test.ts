import { describe, expect, it } from 'vitest'
import type { KeyValueStore } from './ports'
import {
  addProfile,
  errorOf,
  firstPoll,
  started,
  useEmulator,
  waitFor
} from './app-core.test-harness'

const emulator = useEmulator({ secret: 'delete-disk-secret-77c1', seed: 14, seedPending: 4 })

/** The outbox file refuses the writes `refuse` picks, as a full disk would; the others land. */
function refusingOutbox(refuse: (value: unknown) => boolean) {
  return (name: string, store: KeyValueStore): KeyValueStore =>
    name !== 'outbox'
      ? store
      : {
          ...store,
          set(key, value) {
            if (refuse(value)) {
              throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
                code: 'ENOSPC'
              })
            }
            store.set(key, value)
          }
        }
}

const holds = (state: string) => (value: unknown) => JSON.stringify(value).includes(`"${state}"`)

describe('Deleting a profile while the disk refuses writes', () => {
  it('a cancel the disk refuses changes nothing and says why; asked again, the log says cancelled', async () => {
    let diskFull = false
    const { core } = await started({
      tuning: { actionWaitMs: 2_000 },
      wrapStore: refusingOutbox(() => diskFull)
    })
    const portal = emulator()
    const profile = await addProfile(core, portal, 'Portal F')
    await firstPoll(core, profile.id)
    const [request] = portal.control.requestIds({ approved: false })
    portal.control.setFaults({ offline: true })
    await core.handlers['requests:approve']({ profileId: profile.id, requestId: request! })

    diskFull = true
    const refused = await errorOf(
      core.handlers['profiles:delete']({ id: profile.id, pendingActions: 'cancel' })
    )
    expect(refused.message).toMatch(/could not be cancelled: ENOSPC/)
    expect((await core.handlers['outbox:list'](undefined)).map((item) => item.state)).toEqual([
      'queued'
    ])
    expect((await core.handlers['profiles:list'](undefined)).map((p) => p.id)).toEqual([profile.id])

    diskFull = false
    expect(
      await core.handlers['profiles:delete']({ id: profile.id, pendingActions: 'cancel' })
    ).toMatchObject({ deleted: true })
    const log = await core.handlers['decisions:list']({ profileId: profile.id })
    expect(log.map((entry) => [entry.requestId, entry.outcome])).toEqual([[request, 'cancelled']])
  })

  it('the log of a deleted profile says how its actions ended, though the outbox could not write it', async () => {
    const { core } = await started({
      tuning: { actionWaitMs: 2_000 },
      wrapStore: refusingOutbox(holds('done'))
    })
    const portal = emulator()
    const profile = await addProfile(core, portal, 'Portal G')
    await firstPoll(core, profile.id)
    const [request] = portal.control.requestIds({ approved: false })
    const answer = await core.handlers['requests:approve']({
      profileId: profile.id,
      requestId: request!
    })
    expect(portal.control.stats().approvals[request!]).toBe(1)
    await waitFor('the approval to be done in the outbox', async () =>
      (await core.handlers['outbox:list'](undefined)).some((item) => item.state === 'done')
    )

    expect(await core.handlers['profiles:delete']({ id: profile.id })).toMatchObject({
      deleted: true
    })
    const log = await core.handlers['decisions:list']({ profileId: profile.id })
    expect(log.map((entry) => [entry.opId, entry.outcome])).toEqual([[answer.opId, 'done']])
  })
})
