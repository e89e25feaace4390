import { expect, test, type KeygateTestApp } from '../harness/fixtures'
import {
  approveAndOpenKey,
  connectPortal,
  copyAndCloseKey,
  detailPane,
  openRequest,
  requestRow,
  revealKeyNotice,
  shownCredential,
  shownRequestIds
} from './support/keygate-ui'
import { expectedCredential, type RequestFacts } from './support/portal-facts'

/** Approves the open request and checks the key dialog against what the portal issued. */
async function approveAndCompare(app: KeygateTestApp, request: RequestFacts, shot?: string) {
  const { page, portal } = app
  const keyDialog = await approveAndOpenKey(page, request.developerEmail)
  const shown = await shownCredential(keyDialog)
  await expect.poll(() => portal.control.issuedKeys(request.id).length).toBe(1)
  const [issued] = portal.control.issuedKeys(request.id)
  expect(shown).toEqual(expectedCredential(issued!))
  await expect(keyDialog.getByText('Shown only once')).toBeVisible()
  if (shot) await app.screenshot(shot)
  await copyAndCloseKey(app, keyDialog)
  // Closed means forgotten: no notice offers the key again.
  await expect(revealKeyNotice(page, request.developerEmail)).toHaveCount(0)
  await expect(requestRow(page, request.id)).toHaveCount(0)
  expect(portal.control.getRequest(request.id)?.approved).toBe(true)
}

test('approve: the key dialog shows exactly the credential the portal issued; history lists the request', async ({
  app
}) => {
  const { page, portal } = app
  const pending = await connectPortal(app)
  const newest = pending[0]!
  await openRequest(app, newest)
  await app.screenshot('detail')

  await approveAndCompare(app, newest, 'key-dialog')
  await expect
    .poll(() => shownRequestIds(page))
    .toEqual(portal.control.requestIds({ approved: false }).sort())
  expect(portal.control.stats().approvals).toEqual({ [newest.id]: 1 })

  await page.getByRole('tab', { name: 'Approved history' }).click()
  await expect(page.getByRole('tab', { name: 'Approved history' })).toHaveAttribute(
    'aria-selected',
    'true'
  )
  await expect
    .poll(() => shownRequestIds(page))
    .toEqual(portal.control.requestIds({ approved: true }).sort())
  await requestRow(page, newest.id).click()
  const detail = detailPane(page)
  await expect(detail.getByRole('heading', { name: newest.developerEmail })).toBeVisible()
  await expect(detail.getByText('Approved', { exact: true })).toBeVisible()
  await expect(detail.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0)
  await app.screenshot('history')
})

test('approve shows each kind of credential as issued: OAuth client, RawKey', async ({ app }) => {
  const pending = await connectPortal(app)
  const oauth = pending.find((request) => request.authType === 'oauth')
  const rawKey = pending.find((request) => request.authType === 'authToken')
  expect(oauth, 'the seeded portal has an OAuth request').toBeDefined()
  expect(rawKey, 'the seeded portal has an auth-token request').toBeDefined()
  for (const request of [oauth!, rawKey!]) {
    await openRequest(app, request)
    await approveAndCompare(app, request)
  }
  expect(Object.keys(app.portal.control.stats().approvals).sort()).toEqual(
    [oauth!.id, rawKey!.id].sort()
  )
})

test('an uncopied key is not lost to Escape: the dialog asks first', async ({ app }) => {
  const { page } = app
  const [request] = await connectPortal(app)
  await openRequest(app, request!)
  // Still on the request when the key arrives: its dialog opens at once.
  await detailPane(page).getByRole('button', { name: 'Approve', exact: true }).click()
  const keyDialog = page.getByRole('dialog', { name: 'Key issued' })
  await shownCredential(keyDialog)

  await page.keyboard.press('Escape')
  const confirm = page.getByRole('dialog', { name: 'Close without copying?' })
  await expect(confirm).toContainText('You have not copied this key. Close and lose it?')
  await app.screenshot('key-close-confirm')
  await confirm.getByRole('button', { name: 'Keep it open' }).click()
  await expect(confirm).toBeHidden()
  await expect(keyDialog).toBeVisible()
  await copyAndCloseKey(app, keyDialog)
})

test('a key that arrives after the admin moved on shows as a notice, never over the other request', async ({
  app
}) => {
  const { page, portal } = app
  const [first, second] = await connectPortal(app)
  await openRequest(app, first!)
  // A slow portal: the approval takes seconds, and the admin selects the next request meanwhile.
  portal.control.setFaults({ latencyMs: 1500 })
  await detailPane(page).getByRole('button', { name: 'Approve', exact: true }).click()
  await requestRow(page, second!.id).click()
  await expect(requestRow(page, second!.id)).toHaveAttribute('aria-selected', 'true')

  const notice = revealKeyNotice(page, first!.developerEmail)
  await expect(notice).toBeVisible({ timeout: 20_000 })
  portal.control.clearFaults()
  await expect(page.getByRole('region', { name: 'Keys ready' })).toContainText(
    `Key ready for ${first!.developerEmail} / ${first!.catalogueName}`
  )
  const keyDialog = page.getByRole('dialog', { name: 'Key issued' })
  await expect(keyDialog).toHaveCount(0)
  await expect(requestRow(page, second!.id)).toHaveAttribute('aria-selected', 'true')
  await app.screenshot('key-ready-late')

  await notice.click()
  await expect(keyDialog).toContainText(first!.developerEmail)
  const [issued] = portal.control.issuedKeys(first!.id)
  expect(await shownCredential(keyDialog)).toEqual(expectedCredential(issued!))
  await copyAndCloseKey(app, keyDialog)
  await expect(notice).toHaveCount(0)
})

test('decline with a reason: after confirming, the portal no longer has the request', async ({
  app
}) => {
  const { page, portal } = app
  const pending = await connectPortal(app)
  const target = pending[1]!
  await openRequest(app, target)
  await detailPane(page).getByRole('button', { name: 'Decline…' }).click()

  const dialog = page.getByRole('dialog', { name: 'Decline key request' })
  await expect(dialog).toContainText(target.developerEmail)
  await expect(dialog).toContainText(target.catalogueName)
  await dialog.getByLabel('Reason').fill('Duplicate of an earlier request')
  await app.screenshot('decline-dialog')
  await dialog.getByRole('button', { name: 'Decline', exact: true }).click()
  await expect(dialog).toBeHidden()

  await expect.poll(() => portal.control.getRequest(target.id)).toBeNull()
  await expect(requestRow(page, target.id)).toHaveCount(0)
  await expect
    .poll(() => shownRequestIds(page))
    .toEqual(portal.control.requestIds({ approved: false }).sort())
  const stats = portal.control.stats()
  expect(stats.deletes).toEqual({ [target.id]: 1 })
  expect(stats.deletesOfApproved).toBe(0)
  expect(stats.approvals).toEqual({})
  await app.screenshot('after-decline')
})
