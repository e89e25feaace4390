import type { Locator, Page } from '@playwright/test'
import type { RunningEmulator } from '../../emulator'
import { expect, test, type KeygateTestApp } from '../harness/fixtures'
import {
  connectPortal,
  copyAndCloseKey,
  detailPane,
  openOutbox,
  openRequest,
  outboxEntry,
  requestRow,
  revealKeyNotice,
  shownCredential,
  shownRequestIds,
  sidebarEntry
} from './support/keygate-ui'
import { setPortalOffline } from './support/portal-control'
import { expectedCredential, pendingFacts, type RequestFacts } from './support/portal-facts'

function refreshButton(page: Page): Locator {
  return page.getByRole('button', { name: 'Refresh', exact: true })
}

function toast(page: Page, text: string): Locator {
  return page.getByRole('status').filter({ hasText: text })
}

/** Two requests from different developers, so labels by email cannot be confused. */
function twoDevelopers(pending: RequestFacts[]): [RequestFacts, RequestFacts] {
  const first = pending[0]!
  const second = pending.find((request) => request.developerEmail !== first.developerEmail)
  expect(second, 'the seeded portal has requests from two developers').toBeDefined()
  return [first, second!]
}

/**
 * Takes the portal offline and has the admin notice: a refresh fails, the list stays on screen
 * under an offline banner and the sidebar says the portal is offline.
 */
async function goOffline(app: KeygateTestApp): Promise<void> {
  const { page, portal } = app
  await setPortalOffline(portal, true)
  await refreshButton(page).click()
  await expect(page.getByTestId('stale-banner')).toContainText('Offline — showing the list from')
  await expect(sidebarEntry(page, 'Staging')).toHaveAccessibleDescription(/, Offline$/)
}

/** The portal answers again and the admin refreshes: what the outbox holds goes out now. */
async function comeBack(app: KeygateTestApp): Promise<void> {
  await setPortalOffline(app.portal, false)
  await refreshButton(app.page).click()
  await expect(sidebarEntry(app.page, 'Staging')).toHaveAccessibleDescription(/, Online$/)
}

async function approveOffline(app: KeygateTestApp, request: RequestFacts): Promise<void> {
  const { page } = app
  await openRequest(app, request)
  await detailPane(page).getByRole('button', { name: 'Approve', exact: true }).click()
  await expect(
    toast(page, 'Portal unreachable: approval queued, it will be sent when Staging is back.')
  ).toBeVisible()
  await expect(requestRow(page, request.id)).toContainText('approval queued')
}

async function declineOffline(app: KeygateTestApp, request: RequestFacts): Promise<void> {
  const { page } = app
  await openRequest(app, request)
  await detailPane(page).getByRole('button', { name: 'Decline…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Decline key request' })
  await dialog.getByLabel('Reason').fill('Not for this plan')
  await dialog.getByRole('button', { name: 'Decline', exact: true }).click()
  await expect(dialog).toBeHidden()
  await expect(
    toast(page, 'Portal unreachable: decline queued, it will be sent when Staging is back.')
  ).toBeVisible()
  await expect(requestRow(page, request.id)).toContainText('decline queued')
}

/** What the portal counted of approvals and deletes, whoever sent them. */
function decisionsOn(portal: RunningEmulator) {
  const { approvals, deletes, deletesOfApproved } = portal.control.stats()
  return { approvals, deletes, deletesOfApproved }
}

function stateChip(entry: Locator, state: string): Locator {
  return entry.getByText(state, { exact: true })
}

test('offline: an approve and a decline wait in the outbox, marked on the list, and go out once when the portal is back; the key is shown once', async ({
  app
}) => {
  const { page, portal } = app
  const [toApprove, toDecline] = twoDevelopers(await connectPortal(app))

  await goOffline(app)
  await approveOffline(app, toApprove)
  await declineOffline(app, toDecline)

  await expect(page.getByTestId('outbox-badge')).toHaveText('2')
  // The marks come from the core's overlay, so they outlast the reloads each queued action pushes.
  await expect(requestRow(page, toApprove.id)).toContainText('approval queued')
  await expect(requestRow(page, toDecline.id)).toContainText('decline queued')
  await app.screenshot('offline-queued-list')
  let outbox = await openOutbox(page)
  await expect(outbox).toContainText('2 waiting to be sent.')
  const approveEntry = outboxEntry(outbox, 'Approve', toApprove.developerEmail)
  const declineEntry = outboxEntry(outbox, 'Decline', toDecline.developerEmail)
  await expect(stateChip(approveEntry, 'Queued')).toBeVisible()
  await expect(stateChip(declineEntry, 'Queued')).toBeVisible()
  await expect(declineEntry).toContainText('Reason: Not for this plan')
  await app.screenshot('offline-outbox')
  await outbox.getByRole('button', { name: 'Close' }).click()
  await expect(outbox).toBeHidden()
  expect(decisionsOn(portal)).toEqual({ approvals: {}, deletes: {}, deletesOfApproved: 0 })

  await comeBack(app)
  await expect
    .poll(() => decisionsOn(portal))
    .toEqual({
      approvals: { [toApprove.id]: 1 },
      deletes: { [toDecline.id]: 1 },
      deletesOfApproved: 0
    })
  expect(portal.control.getRequest(toApprove.id)?.approved).toBe(true)
  expect(portal.control.getRequest(toDecline.id)).toBeNull()
  await expect(page.getByTestId('stale-banner')).toHaveCount(0)
  await expect
    .poll(() => shownRequestIds(page))
    .toEqual(portal.control.requestIds({ approved: false }).sort())
  await expect(page.getByTestId('outbox-badge')).toHaveText('0')
  // The request selected while offline is read in full now, not left showing the outage.
  await expect(detailPane(page).getByText('Raw JSON from the Dashboard')).toBeVisible()
  await expect(detailPane(page)).not.toContainText('Portal unreachable')

  outbox = await openOutbox(page)
  await expect(
    stateChip(outboxEntry(outbox, 'Approve', toApprove.developerEmail), 'Done')
  ).toBeVisible()
  await expect(
    stateChip(outboxEntry(outbox, 'Decline', toDecline.developerEmail), 'Done')
  ).toBeVisible()
  await app.screenshot('outbox-sent')
  await outbox.getByRole('button', { name: 'Close' }).click()

  // Sent in the background, the approval announces its key instead of opening it unasked.
  const notice = revealKeyNotice(page, toApprove.developerEmail)
  await expect(notice).toBeVisible()
  await app.screenshot('key-ready')
  await notice.click()
  const keyDialog = page.getByRole('dialog', { name: 'Key issued' })
  await expect(keyDialog).toBeVisible()
  const [issued] = portal.control.issuedKeys(toApprove.id)
  expect(await shownCredential(keyDialog)).toEqual(expectedCredential(issued!))
  await copyAndCloseKey(app, keyDialog)
  await expect(notice).toHaveCount(0)
  expect(portal.control.stats().approvals).toEqual({ [toApprove.id]: 1 })
})

test('offline: a queued decline of a request a rival approves meanwhile ends as a conflict, and nothing is deleted', async ({
  app
}) => {
  const { page, portal } = app
  const target = (await connectPortal(app))[0]!

  await goOffline(app)
  await declineOffline(app, target)
  expect(portal.control.approveDirectly(target.id).status).toBe(200)

  await comeBack(app)
  const outbox = await openOutbox(page)
  const entry = outboxEntry(outbox, 'Decline', target.developerEmail)
  await expect(stateChip(entry, 'Conflict')).toBeVisible()
  await expect(entry).toContainText(/found approved elsewhere at \d{1,2}:\d{2}.* — nothing sent/)
  await app.screenshot('outbox-conflict')
  await outbox.getByRole('button', { name: 'Close' }).click()
  // Approved is not pending: the list drops it rather than keep a stale "decline queued" mark.
  await expect(requestRow(page, target.id)).toHaveCount(0)

  // The rival's approval is the only decision the portal saw.
  expect(decisionsOn(portal)).toEqual({
    approvals: { [target.id]: 1 },
    deletes: {},
    deletesOfApproved: 0
  })
  expect(portal.control.getRequest(target.id)?.approved).toBe(true)
  // The decision that did not land is announced, since nobody may be looking at the outbox.
  await expect
    .poll(() => app.notifications())
    .toEqual([
      {
        title: '1 queued action on Staging needs attention',
        body: `Decline ${target.developerEmail} — ${target.catalogueName}: approved elsewhere`
      }
    ])
})

test('new requests on the portal: one notification per poll that finds some; clicking one selects the newest request it names', async ({
  app
}) => {
  const { page, portal } = app
  const before = await connectPortal(app)
  const generated = portal.control.generatePending(3)
  const fresh = (await pendingFacts(portal)).filter((request) => generated.includes(request.id))
  expect(fresh).toHaveLength(3)
  await refreshButton(page).click()

  const announced = {
    title: '3 new key requests on Staging',
    body: fresh.map((request) => `${request.developerEmail} — ${request.catalogueName}`).join('\n')
  }
  await expect.poll(() => app.notifications()).toEqual([announced])

  // The next poll announces only what is new since: the three are not announced again.
  const [later] = portal.control.generatePending(1)
  const laterFacts = (await pendingFacts(portal)).find((request) => request.id === later)!
  await refreshButton(page).click()
  await expect
    .poll(() => app.notifications())
    .toEqual([
      announced,
      {
        title: '1 new key request on Staging',
        body: `${laterFacts.developerEmail} — ${laterFacts.catalogueName}`
      }
    ])

  // Somewhere else in the app, so the click has to bring the request into view.
  await page.getByRole('tab', { name: 'Approved history' }).click()
  await expect(page.getByRole('tab', { name: 'Approved history' })).toHaveAttribute(
    'aria-selected',
    'true'
  )

  await app.clickNotification(0)
  const newest = fresh[0]!
  await expect(page.getByRole('tab', { name: 'Pending' })).toHaveAttribute('aria-selected', 'true')
  await expect(requestRow(page, newest.id)).toHaveAttribute('aria-selected', 'true')
  await expect(detailPane(page).getByRole('heading', { name: newest.developerEmail })).toBeVisible()
  await expect(detailPane(page)).toContainText(newest.id)
  await expect
    .poll(() => shownRequestIds(page))
    .toEqual([...before.map((r) => r.id), ...generated, later!].sort())
  await app.screenshot('notification-click')
})
