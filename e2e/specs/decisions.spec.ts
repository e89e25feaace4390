import type { Locator, Page } from '@playwright/test'
import { adminSecret, expect, test } from '../harness/fixtures'
import {
  addPortal,
  approveAndOpenKey,
  connectPortal,
  copyAndCloseKey,
  decisionRow,
  detailPane,
  openOutbox,
  openRequest,
  outboxEntry,
  requestRow,
  shownDecisionRequestIds,
  sidebarEntry
} from './support/keygate-ui'
import { setPortalOffline } from './support/portal-control'
import type { RequestFacts } from './support/portal-facts'

const reason = 'Duplicate of an earlier request'

function tab(page: Page, name: string): Locator {
  return page.getByRole('tab', { name, exact: true })
}

async function showTab(page: Page, name: string): Promise<void> {
  await tab(page, name).click()
  await expect(tab(page, name)).toHaveAttribute('aria-selected', 'true')
}

/** Two requests from different developers, so rows named by email cannot be confused. */
function twoDevelopers(pending: RequestFacts[]): [RequestFacts, RequestFacts] {
  const first = pending[0]!
  const second = pending.find((request) => request.developerEmail !== first.developerEmail)
  expect(second, 'the seeded portal has requests from two developers').toBeDefined()
  return [first, second!]
}

async function declineWithReason(page: Page): Promise<void> {
  await detailPane(page).getByRole('button', { name: 'Decline…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Decline key request' })
  await dialog.getByLabel('Reason').fill(reason)
  await dialog.getByRole('button', { name: 'Decline', exact: true }).click()
  await expect(dialog).toBeHidden()
}

function stateChip(row: Locator, state: string): Locator {
  return row.getByText(state, { exact: true })
}

test('decisions: a decline with its reason and an approve are logged newest first, per portal and across portals', async ({
  app
}) => {
  const { page, portal } = app
  const [toApprove, toDecline] = twoDevelopers(await connectPortal(app))

  await showTab(page, 'Decisions')
  await expect(page.getByText('No decisions made from this computer yet')).toBeVisible()
  await showTab(page, 'Pending')

  await openRequest(app, toDecline)
  await declineWithReason(page)
  await expect.poll(() => portal.control.getRequest(toDecline.id)).toBeNull()
  await expect(requestRow(page, toDecline.id)).toHaveCount(0)

  await openRequest(app, toApprove)
  const keyDialog = await approveAndOpenKey(page, toApprove.developerEmail)
  await copyAndCloseKey(app, keyDialog)
  await expect(requestRow(page, toApprove.id)).toHaveCount(0)

  await showTab(page, 'Decisions')
  await expect.poll(() => shownDecisionRequestIds(page)).toEqual([toApprove.id, toDecline.id])
  await expect(page.getByText('2 decisions', { exact: true })).toBeVisible()
  const approved = decisionRow(page, toApprove.id)
  await expect(approved).toHaveAccessibleName(`Approve ${toApprove.developerEmail}`)
  await expect(approved).toContainText('by e2e-admin')
  await expect(stateChip(approved, 'Done')).toBeVisible()
  await expect(approved).toContainText('approved on the portal')
  await expect(approved).not.toContainText('Reason')
  const declined = decisionRow(page, toDecline.id)
  await expect(declined).toHaveAccessibleName(`Decline ${toDecline.developerEmail}`)
  await expect(declined).toContainText(`Reason: ${reason}`)
  await expect(stateChip(declined, 'Done')).toBeVisible()
  await expect(declined).toContainText('removed from the portal')
  await expect(declined.locator('time')).toHaveText(/\d{1,2}:\d{2} · just now$/)
  await app.screenshot('decisions')

  // The search narrows the log as it does the lists.
  await page.getByRole('searchbox', { name: 'Search decisions' }).fill('duplicate')
  await expect.poll(() => shownDecisionRequestIds(page)).toEqual([toDecline.id])
  await expect(page.getByText('1 of 2', { exact: true })).toBeVisible()
  await page.getByRole('searchbox', { name: 'Search decisions' }).fill('')

  // Across portals each row names its portal; the tab stays as it was.
  await page.getByRole('button', { name: 'All portals', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'All portals' })).toBeVisible()
  await expect(tab(page, 'Decisions')).toHaveAttribute('aria-selected', 'true')
  await expect.poll(() => shownDecisionRequestIds(page)).toEqual([toApprove.id, toDecline.id])
  await expect(decisionRow(page, toApprove.id).getByText('Staging', { exact: true })).toBeVisible()
  await expect(decisionRow(page, toDecline.id).getByText('Staging', { exact: true })).toBeVisible()
})

test('decisions: a queued decline shows its outcome moving on while the log is on screen, and outlives its portal', async ({
  app
}) => {
  const { page, portal } = app
  const target = (await connectPortal(app))[0]!

  await setPortalOffline(portal, true)
  await page.getByRole('button', { name: 'Refresh', exact: true }).click()
  await expect(sidebarEntry(page, 'Staging')).toHaveAccessibleDescription(/, Offline$/)
  await openRequest(app, target)
  await declineWithReason(page)
  await expect(requestRow(page, target.id)).toContainText('decline queued')

  await showTab(page, 'Decisions')
  const row = decisionRow(page, target.id)
  await expect(stateChip(row, 'Queued')).toBeVisible()
  await expect(row).toContainText('waiting to be sent')

  const outbox = await openOutbox(page)
  await outbox.getByRole('button', { name: `Cancel decline for ${target.developerEmail}` }).click()
  await expect(
    stateChip(outboxEntry(outbox, 'Decline', target.developerEmail), 'Cancelled')
  ).toBeVisible()
  await outbox.getByRole('button', { name: 'Close' }).click()
  await expect(outbox).toBeHidden()

  await expect(stateChip(row, 'Cancelled')).toBeVisible()
  await expect(row).toContainText('cancelled before it was sent')
  await expect(row).toContainText(`Reason: ${reason}`)
  expect(portal.control.stats().deletes).toEqual({})

  // Its portal deleted (another one kept, or the welcome screen would show), the decline stays
  // in every portal's log, named as the portal it was.
  await setPortalOffline(portal, false)
  await addPortal(page, { name: 'Production', baseUrl: portal.url, secret: adminSecret })
  await page.getByRole('button', { name: 'Edit portal Staging' }).click()
  const editor = page.getByRole('dialog', { name: 'Edit portal Staging' })
  await editor.getByRole('button', { name: 'Delete…' }).click()
  await editor.getByRole('button', { name: 'Delete portal' }).click()
  await expect(editor).toBeHidden()
  await expect(sidebarEntry(page, 'Staging')).toHaveCount(0)
  await expect(page.getByRole('heading', { level: 1, name: 'All portals' })).toBeVisible()
  await showTab(page, 'Decisions')
  await expect(row.getByText('Staging (removed)', { exact: true })).toBeVisible()
  await expect(stateChip(row, 'Cancelled')).toBeVisible()
  await expect(row).toContainText(`Reason: ${reason}`)
})
