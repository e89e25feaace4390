import { describe, expect, it } from 'vitest'
import { dispatchInvoke } from '../ipc/dispatch'
import type { FileSaver, SaveFileRequest } from './ports'
import { addProfile, errorOf, started, useEmulator } from './app-core.test-harness'

const portal = useEmulator({ secret: 'export-secret-3a9d', seed: 41, seedPending: 8 })

/** The save dialog as a test sees it: records what it was asked to save, and answers a path. */
function recordingSaver(answer: 'save' | 'cancel' = 'save') {
  const saved: SaveFileRequest[] = []
  const saver: FileSaver = {
    save: async (request) => {
      saved.push(request)
      return answer === 'save'
        ? { saved: true, path: `/tmp/${request.defaultName}` }
        : { saved: false }
    }
  }
  return { saver, saved }
}

const today = () => new Date().toISOString().slice(0, 10)

describe('export:save', () => {
  it('without a save dialog, says what to do instead of failing silently', async () => {
    const { core } = await started()
    const error = await errorOf(core.handlers['export:save']({ what: 'pending', format: 'csv' }))
    expect(error.message).toMatch(/open the window and export again/)
  })

  it('exports decisions with policy and catalogue names, who, when, reason and outcome, formulas defused', async () => {
    const { saver, saved } = recordingSaver()
    const { core } = await started({ fileSaver: saver })
    const profile = await addProfile(core, portal(), 'Export portal')
    const { items } = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'pending'
    })
    const [first, second] = items
    await core.handlers['requests:decline']({
      profileId: profile.id,
      requestId: first!.id,
      reason: '=HYPERLINK("http://evil.example","click"), and "quoted"\nsecond line'
    })
    await core.handlers['requests:approve']({ profileId: profile.id, requestId: second!.id })

    const csv = await core.handlers['export:save']({ what: 'decisions', format: 'csv' })
    expect(csv).toEqual({
      saved: true,
      path: expect.stringMatching(/keygate-decisions-.*\.csv$/),
      rows: 2
    })
    const text = saved[0]!.contents
    expect(text.split('\r\n')[0]).toBe(
      'portal,request_id,developer,api,policies,catalogue,decision,outcome,resolution,reason,decided_by,decided_at'
    )
    expect(text).toContain(
      '"\'=HYPERLINK(""http://evil.example"",""click""), and ""quoted""\nsecond line"'
    )
    expect(text).toContain(`Export portal,${first!.id},${first!.developer.email}`)
    expect(text).toContain(
      `${first!.policies.map((p) => p.name).join('; ')},${first!.catalogue!.name},decline,done`
    )
    expect(text).toContain(',approve,done,,,test-admin,')
    expect(saved[0]!.filters).toEqual([{ name: 'CSV', extensions: ['csv'] }])

    await core.handlers['export:save']({ what: 'decisions', format: 'json' })
    const json = JSON.parse(saved[1]!.contents) as { items: Record<string, unknown>[] }
    expect(json.items).toHaveLength(2)
    expect(json.items.find((item) => item.decision === 'decline')).toMatchObject({
      portal: 'Export portal',
      request_id: first!.id,
      policies: first!.policies.map((p) => p.name).join('; '),
      catalogue: first!.catalogue!.name,
      outcome: 'done',
      decided_by: 'test-admin'
    })

    const later = await core.handlers['export:save']({
      what: 'decisions',
      format: 'json',
      from: '2999-01-01'
    })
    expect(later.rows).toBe(0)
    const inRange = await core.handlers['export:save']({
      what: 'decisions',
      format: 'csv',
      from: today(),
      to: today()
    })
    expect(inRange.rows).toBe(2)
  })

  it('exports the pending list of the chosen portals with flags, and nothing when the dialog is cancelled', async () => {
    const { saver, saved } = recordingSaver()
    const { core } = await started({ fileSaver: saver })
    const one = await addProfile(core, portal(), 'Portal one')
    const two = await addProfile(core, portal(), 'Portal two')
    for (const profile of [one, two]) {
      await core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
    }
    const both = await core.handlers['export:save']({ what: 'pending', format: 'csv' })
    expect(both.rows).toBe(16)
    const onlyTwo = await core.handlers['export:save']({
      what: 'pending',
      format: 'json',
      profileIds: [two.id]
    })
    expect(onlyTwo.rows).toBe(8)
    const json = JSON.parse(saved[1]!.contents) as {
      portals: string[]
      items: { portal: string; flags: string; age_hours: number }[]
    }
    expect(json.portals).toEqual(['Portal two'])
    expect(new Set(json.items.map((item) => item.portal))).toEqual(new Set(['Portal two']))
    expect(json.items.every((item) => typeof item.age_hours === 'number')).toBe(true)

    const cancelled = recordingSaver('cancel')
    const { core: other } = await started({ fileSaver: cancelled.saver })
    await addProfile(other, portal(), 'Cancelled portal')
    expect(await other.handlers['export:save']({ what: 'pending', format: 'csv' })).toMatchObject({
      saved: false,
      path: null
    })
    expect(cancelled.saved).toHaveLength(1)
  })

  it('refuses a range that ends before it starts', async () => {
    const { core } = await started({ fileSaver: recordingSaver().saver })
    const answer = await dispatchInvoke(core.handlers, 'export:save', {
      what: 'decisions',
      format: 'csv',
      from: '2026-12-04',
      to: '2026-12-01'
    })
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })
})
