import { beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../../../emulator'
import { addProfile, errorOf, firstPoll, started, useEmulator } from './app-core.test-harness'

const emulator = useEmulator({ secret: 'quarantine-secret-31d2', seed: 8, seedPending: 3 })
let portal: RunningEmulator
beforeEach(() => {
  portal = emulator()
})

describe('AppCore: one bad request never blanks a portal', () => {
  it('lists the good requests and an unreadable row for the bad one; acting on that row is refused with what to do', async () => {
    const [badId] = portal.control.insertRequests([
      { approved: false, date_created: '2030-01-01T00:00:00Z', fields: 'not a map' }
    ])
    const { core } = await started()
    const profile = await addProfile(core, portal, 'Portal Q')
    expect(await firstPoll(core, profile.id)).toBe(4)

    const view = await core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
    expect(view.sources[0]?.error).toBeNull()
    const bad = view.items.find((r) => r.id === badId)
    expect(bad?.unreadable).toMatch(/^fields /)
    expect(view.items.filter((r) => !r.unreadable)).toHaveLength(3)

    const refused = await errorOf(
      core.handlers['requests:approve']({ profileId: profile.id, requestId: badId! })
    )
    expect(refused.code).toBe('VALIDATION')
    expect(refused.message).toMatch(/could not read this request .*approve it on the Dashboard/)
    expect(await core.handlers['outbox:list'](undefined)).toEqual([])
    expect(portal.control.getRequest(badId!)).toMatchObject({ approved: false })
  })
})
