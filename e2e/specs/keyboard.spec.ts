import type { Page } from '@playwright/test'
import { expect, test } from '../harness/fixtures'
import {
  connectPortal,
  copyAndCloseKey,
  detailPane,
  requestRow,
  requestRows
} from './support/keygate-ui'

/** The request ids of the rendered rows, top to bottom. */
function idsInOrder(page: Page): Promise<string[]> {
  return requestRows(page).evaluateAll((rows) =>
    rows.map((row) => row.getAttribute('data-request-id') ?? '')
  )
}

function requestList(page: Page) {
  return page.getByTestId('request-list')
}

async function expectSelectedInList(page: Page, requestId: string): Promise<void> {
  await expect(requestRow(page, requestId)).toHaveAttribute('aria-selected', 'true')
  await expect(requestList(page)).toBeFocused()
}

test('after a decision focus stays in the list, on the next row', async ({ app }) => {
  const { page } = app
  await connectPortal(app)
  const [first, second, third] = await idsInOrder(page)

  // Decline from the detail pane's button: the dialog closes onto the list, not <body>.
  await requestRow(page, first!).click()
  await detailPane(page).getByRole('button', { name: 'Decline…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Decline key request' })
  await dialog.getByRole('button', { name: 'Decline', exact: true }).click()
  await expect(dialog).toBeHidden()
  await expect(requestRow(page, first!)).toHaveCount(0)
  await expectSelectedInList(page, second!)

  // Approve with the detail pane's button, then close the key dialog: back in the list.
  await detailPane(page).getByRole('button', { name: 'Approve', exact: true }).click()
  const keyDialog = page.getByRole('dialog', { name: 'Key issued' })
  await expect(keyDialog.getByTestId('credential-value').first()).toBeVisible()
  await copyAndCloseKey(app, keyDialog)
  await expect(requestRow(page, second!)).toHaveCount(0)
  await expectSelectedInList(page, third!)

  // And with the keyboard alone.
  await page.keyboard.press('d')
  await expect(dialog).toBeVisible()
  await page.keyboard.press('Tab')
  await dialog.getByRole('button', { name: 'Decline', exact: true }).press('Enter')
  await expect(dialog).toBeHidden()
  const [next] = await idsInOrder(page)
  await expectSelectedInList(page, next!)
})

test('narrow, Enter opens the detail over the list; Escape and Back return to it', async ({
  app
}) => {
  const { page } = app
  await connectPortal(app)
  await page.setViewportSize({ width: 1024, height: 640 })
  const [first, second] = await idsInOrder(page)
  await requestList(page).focus()
  await page.keyboard.press('j')
  await expect(requestRow(page, first!)).toHaveAttribute('aria-selected', 'true')
  await expect(detailPane(page)).toBeHidden()

  await page.keyboard.press('Enter')
  await expect(detailPane(page)).toBeVisible()
  await expect(detailPane(page)).toBeFocused()
  await expect(requestRows(page).first()).toBeHidden()

  await page.keyboard.press('Escape')
  await expect(detailPane(page)).toBeHidden()
  await expectSelectedInList(page, first!)

  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await expect(detailPane(page)).toContainText(second!)
  await detailPane(page).getByRole('button', { name: 'Back to the list' }).click()
  await expectSelectedInList(page, second!)
})

test('? lists every shortcut; shortcuts work from any pane, not while typing', async ({ app }) => {
  const { page } = app
  await connectPortal(app)
  const [first, second, third] = await idsInOrder(page)

  await page.keyboard.press('?')
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(help).toBeVisible()
  for (const line of [
    'j or ↓Next request',
    'k or ↑Previous request',
    'EnterOpen the selected request',
    'EscBack to the list',
    'aApprove the selected request',
    'dDecline the selected request',
    '/Search',
    '?Show these shortcuts'
  ]) {
    await expect(help.getByTestId('shortcut').filter({ hasText: line })).toHaveCount(1)
  }
  await expect(help).toContainText('policy:"Free Tier" age:>3d portal:prod dev:alice')
  await page.keyboard.press('Escape')
  await expect(help).toBeHidden()

  // From the detail pane and from the sidebar, j moves the selection.
  await requestRow(page, first!).click()
  await detailPane(page).getByText(first!, { exact: true }).click()
  await page.keyboard.press('j')
  await expect(requestRow(page, second!)).toHaveAttribute('aria-selected', 'true')
  await page.getByRole('navigation', { name: 'Portals' }).getByRole('button').first().focus()
  await page.keyboard.press('j')
  await expect(requestRow(page, third!)).toHaveAttribute('aria-selected', 'true')

  // Typing in the search box types: no shortcut fires, nothing is approved or declined.
  await page.keyboard.press('/')
  const search = page.getByRole('searchbox', { name: 'Search requests' })
  await expect(search).toBeFocused()
  await page.keyboard.type('jkad?')
  await expect(search).toHaveValue('jkad?')
  await expect(page.getByRole('dialog')).toHaveCount(0)
  expect(app.portal.control.stats().approvals).toEqual({})
})
