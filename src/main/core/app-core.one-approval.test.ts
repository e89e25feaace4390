import { describe, expect, it } from 'vitest'
import { dispatchInvoke } from '../ipc/dispatch'
import { addProfile, firstPoll, started, useEmulator } from './app-core.test-harness'
import { createNodeTransport } from './http/node-transport'
import type { HttpTransport } from './ports'
import { FakeClock } from './testing/fake-clock'

const emulator = useEmulator({ secret: 'one-approval-secret-41', seed: 41, seedPending: 6 })

/** The node transport, recording each call's method and path. */
function countingTransport(): { transport: HttpTransport; calls: string[] } {
  const calls: string[] = []
  const inner = createNodeTransport({})
  return {
    calls,
    transport: (request) => {
      calls.push(`${request.method} ${new URL(request.url).pathname}`)
      return inner(request)
    }
  }
}

describe('One approval, one path (docs/architecture.md#approve-decline)', () => {
  it.each(['approve', 'decline'] as const)(
    'an interactive %s makes 2 Dashboard calls: GET the request, then the decision',
    async (kind) => {
      const portal = emulator()
      const clock = new FakeClock()
      const { transport, calls } = countingTransport()
      const h = await started({ clock, transport })
      const profile = await addProfile(h.core, portal, 'One path')
      await firstPoll(h.core, profile.id)
      const view = await h.core.handlers['requests:list']({
        profileId: profile.id,
        status: 'pending'
      })
      const request = view.items[0]!
      // The flags' policies, catalogue and developers, read once in the background: not part of
      // deciding (their first read is awaited here so it does not land inside the count).
      await h.core.handlers['requests:get']({ profileId: profile.id, requestId: request.id })
      const before = calls.length
      const apiBefore = portal.control.stats().requests

      const channel = kind === 'approve' ? 'requests:approve' : 'requests:decline'
      const answer = await dispatchInvoke(h.core.handlers, channel, {
        profileId: profile.id,
        requestId: request.id
      })
      expect(answer).toMatchObject({ ok: true, value: { state: 'done' } })
      // Whatever the outcome set off meanwhile (pushes, the decision log, the list patch) has run,
      // short of the next scheduled poll.
      await clock.advance(5_000)
      expect(await h.core.handlers['decisions:list']({ profileId: profile.id })).toEqual([
        expect.objectContaining({ requestId: request.id, kind, outcome: 'done' })
      ])

      const decision =
        kind === 'approve'
          ? `PUT /api/portal/requests/approve/${request.id}`
          : `DELETE /api/portal/requests/${request.id}`
      expect(calls.slice(before)).toEqual([`GET /api/portal/requests/${request.id}`, decision])
      expect(portal.control.stats().requests - apiBefore).toBe(2)

      // The decided row left the cached pending list without a re-read.
      const after = await h.core.handlers['requests:list']({
        profileId: profile.id,
        status: 'pending'
      })
      expect(after.items.map((r) => r.id)).not.toContain(request.id)
      expect(calls.length - before).toBe(2)
    }
  )
})
