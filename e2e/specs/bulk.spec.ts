import type { Page } from '@playwright/test'
import { startEmulator } from '../../emulator'
import { adminSecret, expect, test } from '../harness/fixtures'
import { addPortal, requestRow, sidebarEntry } from './support/keygate-ui'
import { setPortalOffline } from './support/portal-control'

/** Sets the undo window through the Settings dialog, as an admin would. */
async function setUndoSeconds(page: Page, seconds: number): Promise<void> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Settings' })
  await dialog.getByRole('spinbutton', { name: /Undo window/ }).fill(String(seconds))
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
}

const listCount = (page: Page) => page.locator('.list-count')

test('bulk: select all 326 pending on two portals and approve; one portal goes offline meanwhile and its part goes out once when it is back', async ({
  app
}) => {
  test.setTimeout(180_000)
  const { page } = app
  const alpha = app.portal
  alpha.control.generatePending(170)
  const beta = await startEmulator({ port: 0, secret: adminSecret, seed: 12, seedPending: 150 })
  try {
    await addPortal(page, { name: 'Alpha', baseUrl: alpha.url, secret: adminSecret })
    await addPortal(page, { name: 'Beta', baseUrl: beta.url, secret: adminSecret })
    await page.getByRole('button', { name: 'All portals' }).click()
    await expect(listCount(page)).toHaveText('326 requests')
    await setUndoSeconds(page, 3)

    await page.getByTestId('request-list').focus()
    await page.keyboard.press('Control+a')
    const bar = page.getByTestId('bulk-bar')
    await expect(bar).toContainText('326 selected')
    await bar.getByRole('button', { name: 'Approve 326' }).click()
    const confirm = page.getByRole('dialog', { name: 'Approve 326 key requests' })
    await expect(confirm.getByTestId('bulk-by-portal')).toContainText('Alpha: 176')
    await expect(confirm.getByTestId('bulk-by-portal')).toContainText('Beta: 150')
    await app.screenshot('bulk-confirm')
    await confirm.getByRole('button', { name: 'Approve 326' }).click()
    await expect(confirm).toBeHidden()
    await expect(page.getByTestId('undo-toast')).toContainText('Approving 326 requests')
    // Beta drops off inside the undo window: its approvals cannot go out with the others.
    await setPortalOffline(beta, true)

    const status = page.getByTestId('batch-status')
    await expect
      .poll(() => Object.keys(alpha.control.stats().approvals).length, { timeout: 60_000 })
      .toBe(176)
    await expect(status).toContainText('176 of 326 sent')
    expect(Object.keys(beta.control.stats().approvals)).toEqual([])
    await app.screenshot('bulk-progress')

    await setPortalOffline(beta, false)
    await expect
      .poll(() => Object.keys(beta.control.stats().approvals).length, { timeout: 90_000 })
      .toBe(150)
    await expect(status).toContainText('326 of 326 sent')
    await expect(status).toContainText('326 approved')
    // Exactly once per request, on both portals.
    for (const portal of [alpha, beta]) {
      const counts = Object.values(portal.control.stats().approvals)
      expect(counts.every((count) => count === 1)).toBe(true)
      expect(portal.control.stats().pending).toBe(0)
    }

    await status.getByRole('button', { name: 'Results and keys' }).click()
    const results = page.getByRole('dialog', { name: 'Bulk approval' })
    await expect(results.locator('[data-result="approved"]')).toHaveCount(326)
    const keys = results.getByTestId('batch-keys')
    await expect(keys.getByRole('heading')).toHaveText(/Keys from this batch \(\d+\)/)
    await app.screenshot('bulk-results')
    // The harness answers the save dialog with a file in its own folder: one row per key.
    await keys.getByRole('button', { name: 'Export as CSV…' }).click()
    await expect(page.getByTestId('toasts')).toContainText('Saved 326 keys to')
    const saved = (await app.savedFiles()).find((file) => file.name.startsWith('keygate-keys-'))
    expect(saved?.name).toMatch(/^keygate-keys-\d{4}-\d{2}-\d{2}\.csv$/)
    expect(saved!.contents.trimEnd().split('\r\n')).toHaveLength(327)
  } finally {
    await beta.close()
  }
})

test('bulk: x and Shift+J pick a range, Shift-click and Ctrl-click adjust it, one Undo takes a whole decline batch back', async ({
  app
}) => {
  const { page, portal } = app
  await addPortal(page, { name: 'Alpha', baseUrl: portal.url, secret: adminSecret })
  await expect(listCount(page)).toHaveText('6 requests')
  await setUndoSeconds(page, 20)

  const rows = page.getByTestId('request-row')
  await rows.nth(0).click()
  await page.keyboard.press('x')
  await page.keyboard.press('Shift+J')
  await page.keyboard.press('Shift+J')
  const bar = page.getByTestId('bulk-bar')
  await expect(bar).toContainText('3 selected')
  await rows.nth(1).click({ modifiers: ['Control'] })
  await expect(bar).toContainText('2 selected')
  await rows.nth(4).click({ modifiers: ['Shift'] })
  await expect(page.locator('[data-testid="request-row"][aria-checked="true"]')).toHaveCount(4)
  await page.keyboard.press('Escape')
  await expect(bar).toHaveCount(0)

  await rows.nth(0).click()
  await page.keyboard.press('x')
  await page.keyboard.press('Shift+J')
  await page.keyboard.press('Shift+J')
  const ids = await page
    .locator('[data-testid="request-row"][aria-checked="true"]')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-request-id')))
  expect(ids).toHaveLength(3)
  await page.keyboard.press('d')
  const confirm = page.getByRole('dialog', { name: 'Decline 3 key requests' })
  await confirm.getByRole('textbox').fill('Duplicate team accounts')
  await confirm.getByRole('button', { name: 'Decline 3' }).click()
  await expect(confirm).toBeHidden()
  // Focus is back in the list, on the first request after the batch.
  await expect(page.getByTestId('request-list')).toBeFocused()

  const undo = page.getByTestId('undo-toast')
  await expect(undo).toContainText(/Declining 3 requests: sending in \d+ s/)
  await page.keyboard.press('z')
  await expect(undo).toHaveCount(0)
  await expect(page.getByTestId('toasts')).toContainText('Undone: 3 decisions were not sent.')
  await expect(page.getByTestId('batch-status')).toContainText('3 undone')
  for (const id of ids) await expect(requestRow(page, id!)).toHaveCount(1)
  expect(portal.control.stats().deletes).toEqual({})
  await expect(sidebarEntry(page, 'Alpha')).toBeVisible()
})
