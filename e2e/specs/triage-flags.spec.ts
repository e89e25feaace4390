import type { Page } from '@playwright/test'
import { startEmulator, type RunningEmulator } from '../../emulator'
import { adminSecret, expect, test } from '../harness/fixtures'
import {
  addPortal,
  decisionRow,
  detailPane,
  requestRow,
  shownRequestIds,
  sidebarEntry
} from './support/keygate-ui'

const search = (page: Page) => page.getByRole('searchbox', { name: 'Search requests' })
const flagMenu = (page: Page) => page.getByRole('combobox', { name: 'Filter by flag' })

interface Planted {
  duplicates: [string, string]
  /** A developer with nothing else on the portal, so the pair are each other's only duplicates. */
  duplicateDeveloper: string
  missingPolicy: string
  missingCatalogue: string
  legacy: string
  hasAccess: string
  hasAccessEmail: string
  heldPolicyName: string
  keyIds: string[]
}

/** Requests that must raise each flag, planted among the seeded backlog of `portal`. */
function plant(portal: RunningEmulator): Planted {
  const state = portal.control.exportState()
  const apis = state.catalogue.apis as { policy_id: string; name: string }[]
  const catalogued = new Set(apis.map((entry) => entry.policy_id))
  const uncatalogued = state.policies.find((policy) => !catalogued.has(String(policy._id)))!
  const holder = state.developers.find((developer) =>
    Object.keys((developer.subscriptions as Record<string, string> | null) ?? {}).some((id) =>
      catalogued.has(id)
    )
  )!
  const subscriptions = holder.subscriptions as Record<string, string>
  const heldPolicy = Object.keys(subscriptions).find((id) => catalogued.has(id))!
  const fresh = state.developers.filter((developer) => developer !== holder)
  const dev = (index: number) => String(fresh[index]!.id)
  const at = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()
  const policy = apis[0]!.policy_id
  const loneDeveloper = '5f00000000000000000000d1'
  const ids = portal.control.insertRequests([
    { by_user: loneDeveloper, apply_policies: [policy], approved: false, date_created: at(90) },
    { by_user: loneDeveloper, apply_policies: [policy], approved: false, date_created: at(80) },
    {
      by_user: dev(1),
      apply_policies: ['5f00000000000000000000ff'],
      approved: false,
      date_created: at(70)
    },
    {
      by_user: dev(2),
      apply_policies: [String(uncatalogued._id)],
      approved: false,
      date_created: at(60)
    },
    { by_user: dev(3), for_plan: apis[1]!.policy_id, approved: false, date_created: at(50) },
    {
      by_user: String(holder.id),
      apply_policies: [heldPolicy],
      approved: false,
      date_created: at(40)
    }
  ])
  const keyIds = state.developers.flatMap((developer) => [
    ...Object.values((developer.subscriptions as Record<string, string> | null) ?? {}),
    ...Object.keys((developer.keys as Record<string, unknown> | null) ?? {})
  ])
  return {
    duplicates: [ids[0]!, ids[1]!],
    duplicateDeveloper: loneDeveloper,
    missingPolicy: ids[2]!,
    missingCatalogue: ids[3]!,
    legacy: ids[4]!,
    hasAccess: ids[5]!,
    hasAccessEmail: String(holder.email),
    heldPolicyName: String(state.policies.find((p) => String(p._id) === heldPolicy)!.name),
    keyIds
  }
}

/** Waits until the rendered rows include `ids` (the flags arrive once each portal was read). */
async function expectShown(page: Page, ids: readonly string[]): Promise<void> {
  await expect
    .poll(async () => {
      const shown = new Set(await shownRequestIds(page))
      return ids.filter((id) => !shown.has(id))
    })
    .toEqual([])
}

test('flags on a backlog of over 300 requests on two portals: list, detail, filters, a restart and exports', async ({
  app
}) => {
  test.setTimeout(120_000)
  const { page } = app
  const east = await startEmulator({
    port: 0,
    secret: adminSecret,
    seed: 21,
    seedPending: 160,
    seedApproved: 12
  })
  const west = await startEmulator({
    port: 0,
    secret: adminSecret,
    seed: 22,
    seedPending: 150,
    seedApproved: 6
  })
  try {
    const planted = plant(east)
    const total = 160 + 6 + 150
    await addPortal(page, { name: 'East', baseUrl: east.url, secret: adminSecret })
    await addPortal(page, { name: 'West', baseUrl: west.url, secret: adminSecret })
    await sidebarEntry(page, 'All portals').click()
    await expect(page.locator('.list-count')).toHaveText(`${total} requests`)

    // The list: each planted request's chip, its sentence in the tooltip.
    await flagMenu(page).selectOption({ label: 'Duplicate' })
    await expect(search(page)).toHaveValue('flag:dup')
    await expectShown(page, planted.duplicates)
    const dupChip = requestRow(page, planted.duplicates[0]).getByTestId('flag-chip')
    await expect(dupChip).toHaveText(/^Duplicate/)
    await expect(dupChip).toHaveAttribute(
      'title',
      /1 other pending request from this developer for the same policies/
    )

    await flagMenu(page).selectOption({ label: 'Policy or catalogue missing' })
    await expectShown(page, [planted.missingPolicy, planted.missingCatalogue])
    await expect(requestRow(page, planted.missingPolicy).getByTestId('flag-chip')).toHaveText(
      'Policy gone +1'
    )
    await expect(
      requestRow(page, planted.missingCatalogue).getByTestId('flag-chip')
    ).toHaveAttribute('title', /No catalogue entry/)
    await flagMenu(page).selectOption({ label: 'Legacy for_plan' })
    await expectShown(page, [planted.legacy])

    // Menus and typed syntax are one query: a developer plus a flag.
    await search(page).fill(`dev:${planted.duplicateDeveloper} flag:dup`)
    await expect.poll(() => shownRequestIds(page)).toEqual([...planted.duplicates].sort())
    await expect(flagMenu(page)).toHaveValue('dup')
    await page.getByRole('combobox', { name: 'Filter by portal' }).selectOption('West')
    await expect.poll(() => shownRequestIds(page)).toEqual([])
    await page.getByRole('combobox', { name: 'Filter by portal' }).selectOption('East')
    await expect.poll(() => shownRequestIds(page)).toEqual([...planted.duplicates].sort())

    // The view survives a restart of the renderer.
    await page.reload()
    await expect(search(page)).toHaveValue(`dev:${planted.duplicateDeveloper} flag:dup portal:East`)
    await expect.poll(() => shownRequestIds(page)).toEqual([...planted.duplicates].sort())

    // The detail: the flag in words and what the developer already holds, never a key id.
    await flagMenu(page).selectOption({ label: 'Already has access' })
    await search(page).fill(`flag:access dev:${planted.hasAccessEmail}`)
    await expectShown(page, [planted.hasAccess])
    await requestRow(page, planted.hasAccess).click()
    const detail = detailPane(page)
    await expect(detail.getByTestId('detail-flags')).toContainText(
      `Developer already holds ${planted.heldPolicyName}`
    )
    await expect(detail.getByTestId('subscriptions')).toContainText(planted.heldPolicyName)
    // The README's picture of a flag is docs/flags.png.
    await app.screenshot('flags')
    const html = await page.content()
    expect(planted.keyIds.filter((keyId) => html.includes(keyId))).toEqual([])

    // Export the pending list of every portal.
    await search(page).fill('')
    await expect(page.locator('.list-count')).toHaveText(`${total} requests`)
    await page.getByRole('button', { name: 'Export CSV' }).click()
    await expect(page.getByText(`Exported ${total} requests to`)).toBeVisible()
    const [pendingCsv] = await app.savedFiles()
    expect(pendingCsv!.name).toMatch(/^keygate-pending-\d{4}-\d{2}-\d{2}\.csv$/)
    const lines = pendingCsv!.contents.trimEnd().split('\r\n')
    expect(lines).toHaveLength(total + 1)
    expect(lines.find((line) => line.includes(planted.missingPolicy))).toContain(
      'missing-policy; missing-catalogue'
    )

    // Decline one with a formula for a reason; the decisions export keeps it inert, with names.
    await search(page).fill(`flag:legacy`)
    await requestRow(page, planted.legacy).click()
    await detail.getByRole('button', { name: 'Decline…' }).click()
    const decline = page.getByRole('dialog', { name: /^Decline/ })
    await decline.getByRole('textbox').fill('=HYPERLINK("http://evil.example","x"), duplicate')
    await decline.getByRole('button', { name: /^Decline/ }).click()
    await expect(requestRow(page, planted.legacy)).toHaveCount(0)
    await page.getByRole('tab', { name: 'Decisions' }).click()
    await expect(decisionRow(page, planted.legacy)).toBeVisible()
    await page.getByRole('combobox', { name: 'Filter decisions by outcome' }).selectOption('done')
    await expect(decisionRow(page, planted.legacy)).toBeVisible()
    await page.getByRole('combobox', { name: 'Filter decisions by outcome' }).selectOption('failed')
    await expect(decisionRow(page, planted.legacy)).toHaveCount(0)
    await page.getByRole('combobox', { name: 'Filter decisions by outcome' }).selectOption('')
    await page.getByRole('button', { name: 'Export CSV' }).click()
    await expect(page.getByText('Exported 1 decision to')).toBeVisible()
    const decisions = (await app.savedFiles())[1]!
    expect(decisions.name).toMatch(/^keygate-decisions-.*\.csv$/)
    expect(decisions.contents).toContain(`"'=HYPERLINK(""http://evil.example"",""x""), duplicate"`)
    expect(decisions.contents).toContain(',decline,done,')
    expect(decisions.contents).toContain('East,')
  } finally {
    await east.close()
    await west.close()
  }
})
