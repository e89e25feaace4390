import { describe, expect, it } from 'vitest'
import type { KeyRequest, RequestFlagKind } from '../../shared/domain'
import { addProfile, started, useEmulator, waitFor } from './app-core.test-harness'
import { createNodeTransport } from './http/node-transport'
import type { HttpTransport } from './ports'

const portal = useEmulator({ secret: 'flags-secret-81f2', seed: 29, seedPending: 12 })

const kindsOf = (item: KeyRequest | undefined): RequestFlagKind[] =>
  (item?.flags ?? []).map((flag) => flag.kind)

describe('flags on the pending list and the detail', () => {
  it('flags duplicates, policies and catalogue entries gone, and legacy requests, reading the portal once for all rows', async () => {
    const emu = portal()
    const state = emu.control.exportState()
    const developer = String(state.developers[1]!.id)
    const [gold, silver] = state.catalogue.apis as { policy_id: string }[]
    const now = Date.now()
    const at = (minutes: number) => new Date(now - minutes * 60_000).toISOString()
    const [dupA, dupB, gone, legacy, uncatalogued] = emu.control.insertRequests([
      {
        by_user: developer,
        apply_policies: [gold!.policy_id],
        approved: false,
        date_created: at(50)
      },
      {
        by_user: developer,
        apply_policies: [gold!.policy_id],
        approved: false,
        date_created: at(40)
      },
      {
        by_user: developer,
        apply_policies: ['5f00000000000000000000ff'],
        approved: false,
        date_created: at(30)
      },
      { by_user: developer, for_plan: silver!.policy_id, approved: false, date_created: at(20) },
      {
        by_user: String(state.developers[2]!.id),
        apply_policies: [silver!.policy_id],
        approved: false,
        date_created: at(10)
      }
    ]) as [string, string, string, string, string]
    expect(emu.control.deleteCatalogueEntry(silver!.policy_id)).toBe(true)

    const node = createNodeTransport({})
    const paths: string[] = []
    const transport: HttpTransport = (request) => {
      paths.push(`${request.method} ${new URL(request.url).pathname}`)
      return node(request)
    }
    const { core } = await started({ transport })
    const profile = await addProfile(core, emu, 'Flags portal')
    const list = () => core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
    const flagged = await waitFor('the flags', async () => {
      const view = await list()
      const item = view.items.find((request) => request.id === gone)
      return kindsOf(item).includes('missing-policy') && view
    })
    const byId = (id: string) => flagged.items.find((item) => item.id === id)
    expect(kindsOf(byId(dupA))).toEqual(['duplicate'])
    expect(kindsOf(byId(dupB))).toEqual(['duplicate'])
    expect(kindsOf(byId(gone))).toEqual(['missing-policy', 'missing-catalogue'])
    expect(kindsOf(byId(legacy))).toEqual(['missing-catalogue', 'legacy'])
    expect(kindsOf(byId(uncatalogued))).toEqual(['missing-catalogue'])

    const detail = await core.handlers['requests:get']({ profileId: profile.id, requestId: dupA })
    expect(kindsOf(detail)).toEqual(['duplicate'])
    expect(detail.subscriptions).toBeDefined()

    for (let poll = 0; poll < 10; poll++) {
      await core.handlers['requests:list']({
        profileId: profile.id,
        status: 'pending',
        refresh: true
      })
    }
    const reads = (path: string) => paths.filter((p) => p === `GET ${path}`).length
    expect(reads('/api/portal/developers')).toBe(1)
    expect(reads('/api/portal/catalogue')).toBe(1)
  })

  it('approved lists carry no flags', async () => {
    const emu = portal()
    const { core } = await started()
    const profile = await addProfile(core, emu, 'Approved portal')
    const [id] = emu.control.requestIds({ approved: false })
    emu.control.approveDirectly(id!)
    const view = await core.handlers['requests:list']({
      profileId: profile.id,
      status: 'approved',
      refresh: true
    })
    expect(view.items.length).toBeGreaterThan(0)
    expect(view.items.every((item) => item.flags === undefined)).toBe(true)
  })
})
