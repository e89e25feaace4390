import AxeBuilder from '@axe-core/playwright'
import type { Locator, Page } from '@playwright/test'
import { startEmulator } from '../../emulator'
import { adminSecret, expect, test, type KeygateTestApp } from '../harness/fixtures'
import {
  addPortal,
  connectPortal,
  copyAndCloseKey,
  detailPane,
  openOutbox,
  requestRow,
  requestRows,
  sidebarEntry
} from './support/keygate-ui'
import type { RequestFacts } from './support/portal-facts'

/** 1024 x 640, and 200 % zoom of a 1280 x 800 window: the same CSS pixels as a 640 x 400 one. */
const sizes = [
  { name: '1024 x 640', width: 1024, height: 640 },
  { name: '200 % zoom', width: 640, height: 400 }
]

/**
 * The page and every element in it that scrolls sideways; a source string because the e2e code
 * compiles without DOM types.
 */
const sidewaysScrollers = `(() => {
  const found = []
  const root = document.scrollingElement
  if (root && root.scrollWidth > root.clientWidth) found.push('the page')
  for (const element of document.querySelectorAll('body *')) {
    const overflow = getComputedStyle(element).overflowX
    const scrolls = overflow === 'auto' || overflow === 'scroll'
    if (scrolls && element.scrollWidth > element.clientWidth + 1) {
      found.push(element.tagName.toLowerCase() + '.' + element.className)
    }
  }
  return found
})()`

/** Nothing scrolls sideways (WCAG 1.4.10). */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(sidewaysScrollers), 'elements that scroll sideways').toEqual([])
}

/** Visible and the topmost element where a click lands (nothing covers it). */
async function expectClickable(button: Locator): Promise<void> {
  await expect(button).toBeVisible()
  await expect(button).toBeInViewport({ ratio: 1 })
  await button.click({ trial: true, timeout: 2000 })
}

async function openRequestAt(page: Page, request: RequestFacts): Promise<void> {
  await requestRow(page, request.id).click()
  await expect(
    detailPane(page).getByRole('heading', { name: request.developerEmail })
  ).toBeVisible()
}

for (const size of sizes) {
  test(`layout at ${size.name}: no sideways scroll; Decline and Refresh visible and clickable; Back returns to the list`, async ({
    app
  }) => {
    const { page } = app
    const pending = await connectPortal(app)
    await page.setViewportSize({ width: size.width, height: size.height })
    await expectNoSidewaysScroll(page)
    const refresh = page.getByRole('button', { name: 'Refresh', exact: true })
    await expectClickable(refresh)

    await openRequestAt(page, pending[0]!)
    await expectNoSidewaysScroll(page)
    const decline = detailPane(page).getByRole('button', { name: 'Decline…' })
    await expectClickable(decline)
    // The README's picture of the narrow layout is docs/narrow-layout.png, from 1024 x 640.
    await app.screenshot(size.width === 1024 ? 'narrow-layout' : 'zoom-200')
    await expectClickable(refresh)
    await refresh.click()
    await decline.click()
    const dialog = page.getByRole('dialog', { name: 'Decline key request' })
    await expect(dialog).toBeVisible()
    await expectNoSidewaysScroll(page)
    await expectClickable(dialog.getByRole('button', { name: 'Decline', exact: true }))
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toBeHidden()

    // Narrow, the detail is a pane over the list: Back returns to the list.
    const back = detailPane(page).getByRole('button', { name: 'Back to the list' })
    await back.click()
    await expect(requestRow(page, pending[0]!.id)).toBeVisible()
    await expect(requestRows(page).first()).toBeVisible()
    await expectNoSidewaysScroll(page)
  })
}

async function declineOpenRequest(page: Page): Promise<Locator> {
  await detailPane(page).getByRole('button', { name: 'Decline…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Decline key request' })
  await expect(dialog).toBeVisible()
  return dialog
}

test('toasts collapse into one stack with a count, and never cover a dialog', async ({ app }) => {
  const { page } = app
  const pending = await connectPortal(app)
  await page.setViewportSize({ width: 640, height: 400 })
  for (const request of pending.slice(0, 2)) {
    await openRequestAt(page, request)
    const dialog = await declineOpenRequest(page)
    await dialog.getByRole('button', { name: 'Decline', exact: true }).click()
    await expect(dialog).toBeHidden()
    await expect(requestRow(page, request.id)).toHaveCount(0)
  }
  const toasts = page.getByTestId('toast')
  await expect(toasts).toHaveCount(1)
  const more = page.getByRole('button', { name: '1 more message' })
  await more.click()
  await expect(toasts).toHaveCount(2)
  await page.getByRole('button', { name: 'Show the newest only' }).click()
  await expect(toasts).toHaveCount(1)

  await openRequestAt(page, pending[2]!)
  const dialog = await declineOpenRequest(page)
  await expectClickable(dialog.getByRole('button', { name: 'Decline', exact: true }))
  await expectClickable(dialog.getByRole('button', { name: 'Cancel' }))
})

test('wider than 1100 px, list and detail stay side by side (no Back), Refresh clickable', async ({
  app
}) => {
  const { page } = app
  const pending = await connectPortal(app)
  await openRequestAt(page, pending[0]!)
  for (const width of [1360, 1280, 1120]) {
    await page.setViewportSize({ width, height: 720 })
    await expect(requestRow(page, pending[1]!.id)).toBeVisible()
    await expect(detailPane(page).getByRole('button', { name: 'Back to the list' })).toBeHidden()
    await expectClickable(page.getByRole('button', { name: 'Refresh', exact: true }))
    await expectClickable(detailPane(page).getByRole('button', { name: 'Decline…' }))
    await expectNoSidewaysScroll(page)
  }
})

test('a long portal name is cut with a tooltip and never squeezes the policy name away', async ({
  app
}) => {
  const { page, portal } = app
  const longName = 'Production developer portal for the European partner programme (EU West)'
  await addPortal(page, { name: longName, baseUrl: portal.url, secret: adminSecret })
  await sidebarEntry(page, 'All portals').click()
  await page.setViewportSize({ width: 1024, height: 640 })
  const row = requestRows(page).first()
  await expect(row).toBeVisible()
  const tag = row.locator('.tag')
  await expect(tag).toHaveAttribute('title', longName)
  const policies = row.locator('.row-policies')
  const policyText = (await policies.textContent()) ?? ''
  await expect(policies).toHaveAttribute('title', policyText)
  const width = await policies.evaluate((node) => node.getBoundingClientRect().width)
  expect(width, 'the policy name keeps room beside a long portal name').toBeGreaterThan(80)
  await expect(sidebarEntry(page, longName).locator('.nav-name')).toHaveAttribute('title', longName)
})

/** axe over the whole page; every rule, every impact. */
async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze()
  const found = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.nodes
        .slice(0, 3)
        .map((node) => node.target.join(' '))
        .join(', ')}`
  )
  expect(found, `axe violations on ${screen}`).toEqual([])
}

async function auditEveryScreen(app: KeygateTestApp, pending: RequestFacts[]): Promise<void> {
  const { page } = app
  const close = async (dialog: Locator) => {
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
  }
  await page.getByRole('tab', { name: 'Pending', exact: true }).click()
  await openRequestAt(page, pending[0]!)
  await expectNoAxeViolations(page, 'the inbox with a selected request')

  await detailPane(page).getByRole('button', { name: 'Decline…' }).click()
  const decline = page.getByRole('dialog', { name: 'Decline key request' })
  await expect(decline).toBeVisible()
  await expectNoAxeViolations(page, 'the decline dialog')
  await close(decline)

  await detailPane(page).getByRole('button', { name: 'Approve', exact: true }).click()
  const keyDialog = page.getByRole('dialog', { name: 'Key issued' })
  await expect(keyDialog.getByTestId('credential-value').first()).toBeVisible()
  await expectNoAxeViolations(page, 'the key dialog')
  await keyDialog.getByRole('button', { name: 'I have copied it, close' }).click()
  await expect(page.getByRole('button', { name: 'Keep it open' })).toBeFocused()
  await expectNoAxeViolations(page, 'the question before an uncopied key is lost')
  await page.getByRole('button', { name: 'Keep it open' }).click()
  await keyDialog
    .getByRole('button', { name: /^Copy / })
    .first()
    .focus()
  await copyAndCloseKey(app, keyDialog)

  await page.getByRole('tab', { name: 'Approved history', exact: true }).click()
  await expect(requestRows(page).first()).toBeVisible()
  await requestRows(page).first().click()
  await expect(detailPane(page).getByText('Approved', { exact: true })).toBeVisible()
  await expectNoAxeViolations(page, 'approved history')

  await page.getByRole('tab', { name: 'Decisions', exact: true }).click()
  await expect(page.getByTestId('decision-row').first()).toBeVisible()
  await expectNoAxeViolations(page, 'decisions')

  await page.keyboard.press('?')
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(help).toBeVisible()
  await expectNoAxeViolations(page, 'the shortcuts dialog')
  await close(help)

  const outbox = await openOutbox(page)
  await expectNoAxeViolations(page, 'the outbox panel')
  await close(outbox)

  await page.getByRole('button', { name: 'Edit portal Staging' }).click()
  const editor = page.getByRole('dialog', { name: /Staging/ })
  await expect(editor).toBeVisible()
  await expectNoAxeViolations(page, 'the profile editor')
  await close(editor)

  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  const settings = page.getByRole('dialog', { name: 'Settings' })
  await expectNoAxeViolations(page, 'the settings dialog')
  await settings.getByRole('spinbutton', { name: /Undo window/ }).fill('30')
  await settings.getByRole('button', { name: 'Save' }).click()
  await expect(settings).toBeHidden()

  await page.getByRole('tab', { name: 'Pending', exact: true }).click()
  await requestRows(page).first().click()
  await page.keyboard.press('x')
  await page.keyboard.press('Shift+J')
  await expect(page.getByTestId('bulk-bar')).toContainText('2 selected')
  await expectNoAxeViolations(page, 'the bulk bar')
  await page.keyboard.press('a')
  const confirm = page.getByRole('dialog', { name: 'Approve 2 key requests' })
  await expectNoAxeViolations(page, 'the bulk confirmation')
  await confirm.getByRole('button', { name: 'Approve 2' }).click()
  await expect(page.getByTestId('undo-toast')).toBeVisible()
  await expectNoAxeViolations(page, 'the undo toast and batch progress')
  await page.getByRole('button', { name: 'Results and keys' }).click()
  const results = page.getByRole('dialog', { name: 'Bulk approval' })
  await expectNoAxeViolations(page, 'the batch results')
  await close(results)
  await page.keyboard.press('z')
  await expect(page.getByTestId('undo-toast')).toHaveCount(0)
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no violations on any main screen (${colorScheme})`, async ({ app }) => {
    await app.page.emulateMedia({ colorScheme })
    const pending = await connectPortal(app)
    await auditEveryScreen(app, pending)
  })
}

for (const size of sizes) {
  test(`a backlog of 326 on two portals at ${size.name}: the list, the bulk bar and its confirmation fit, with no axe violation`, async ({
    app
  }) => {
    test.setTimeout(120_000)
    const { page } = app
    app.portal.control.generatePending(170)
    const beta = await startEmulator({ port: 0, secret: adminSecret, seed: 31, seedPending: 150 })
    try {
      await addPortal(page, { name: 'Alpha', baseUrl: app.portal.url, secret: adminSecret })
      await addPortal(page, { name: 'Beta', baseUrl: beta.url, secret: adminSecret })
      await page.getByRole('button', { name: 'All portals' }).click()
      await expect(page.locator('.list-count')).toHaveText('326 requests')
      await page.setViewportSize({ width: size.width, height: size.height })
      await expectNoSidewaysScroll(page)
      await expectClickable(page.getByRole('button', { name: 'Refresh', exact: true }))

      await page.getByTestId('request-list').focus()
      await page.keyboard.press('Control+a')
      const bar = page.getByTestId('bulk-bar')
      await expect(bar).toContainText('326 selected')
      await expectNoSidewaysScroll(page)
      const approveAll = bar.getByRole('button', { name: 'Approve 326' })
      await expectClickable(approveAll)
      await expectClickable(bar.getByRole('button', { name: 'Decline 326' }))
      await expectNoAxeViolations(page, `326 selected at ${size.name}`)
      // The README's picture of the bulk bar is docs/bulk-bar.png, from 1024 x 640.
      if (size.width === 1024) await app.screenshot('bulk-bar')

      await approveAll.click()
      const confirm = page.getByRole('dialog', { name: 'Approve 326 key requests' })
      await expect(confirm.getByTestId('bulk-by-portal')).toContainText('Alpha: 176')
      await expectNoSidewaysScroll(page)
      await expectClickable(confirm.getByRole('button', { name: 'Cancel' }))
      await expectNoAxeViolations(page, `the bulk confirmation at ${size.name}`)
      await confirm.getByRole('button', { name: 'Cancel' }).click()
      await expect(confirm).toBeHidden()
    } finally {
      await beta.close()
    }
  })
}
