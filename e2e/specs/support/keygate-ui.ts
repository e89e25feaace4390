import type { Locator, Page } from '@playwright/test'
import { adminSecret, expect, type KeygateTestApp } from '../../harness/fixtures'
import { pendingFacts, type RequestFacts } from './portal-facts'

/** What the profile editor asks for; absent fields are left as they are. */
export interface PortalFields {
  name?: string
  baseUrl?: string
  secret?: string
}

/** A portal's entry in the sidebar (its edit button is a separate "Edit portal <name>"). */
export function sidebarEntry(page: Page, name: string): Locator {
  return page
    .getByRole('navigation', { name: 'Portals' })
    .getByRole('button', { name, exact: true })
}

export function detailPane(page: Page): Locator {
  return page.getByRole('complementary', { name: 'Request details' })
}

/** The rows the list renders (it is virtualised: short lists render every row). */
export function requestRows(page: Page): Locator {
  return page.getByTestId('request-list').getByTestId('request-row')
}

export function requestRow(page: Page, requestId: string): Locator {
  return requestRows(page).and(page.locator(`[data-request-id="${requestId}"]`))
}

/** The request ids of the rendered rows, sorted, for comparing with the emulator's. */
export async function shownRequestIds(page: Page): Promise<string[]> {
  const ids = await requestRows(page).evaluateAll((rows) =>
    rows.map((row) => row.getAttribute('data-request-id') ?? '')
  )
  return ids.sort()
}

export async function fillProfileForm(editor: Locator, fields: PortalFields): Promise<void> {
  if (fields.name !== undefined) await editor.getByLabel('Name', { exact: true }).fill(fields.name)
  if (fields.baseUrl !== undefined) {
    await editor.getByLabel('Dashboard URL', { exact: true }).fill(fields.baseUrl)
  }
  if (fields.secret !== undefined) {
    await editor.getByLabel('API key', { exact: true }).fill(fields.secret)
  }
}

/** Opens "Add a portal" (the welcome screen's button or the sidebar's "+ Add a portal"). */
export async function openAddPortal(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: /^(\+ )?Add a portal$/ }).click()
  const editor = page.getByRole('dialog', { name: 'Add a portal' })
  await expect(editor).toBeVisible()
  return editor
}

/** Adds a portal through the editor and waits until its view is on screen. */
export async function addPortal(page: Page, fields: Required<PortalFields>): Promise<void> {
  const editor = await openAddPortal(page)
  await fillProfileForm(editor, fields)
  await editor.getByRole('button', { name: 'Add portal', exact: true }).click()
  await expect(editor).toBeHidden()
  await expect(sidebarEntry(page, fields.name)).toBeVisible()
  await expect(page.getByRole('heading', { level: 1, name: fields.name })).toBeVisible()
  // Out of the way of later screenshots.
  const toast = page.getByRole('status').filter({ hasText: `Portal “${fields.name}” added.` })
  await toast.getByRole('button', { name: 'Dismiss message' }).click()
  await expect(page.getByText(`Portal “${fields.name}” added.`)).toHaveCount(0)
}

/** The credential in the open key dialog, by field (rawKey, username, clientId, ...). */
export async function shownCredential(keyDialog: Locator): Promise<Record<string, string>> {
  await expect(keyDialog.getByTestId('credential-value').first()).toBeVisible()
  const pairs = await keyDialog
    .getByTestId('credential-value')
    .evaluateAll((nodes) =>
      nodes.map((node) => [
        node.getAttribute('data-credential-field') ?? '',
        node.textContent ?? ''
      ])
    )
  return Object.fromEntries(pairs)
}

/** The "Reveal" button of the notice announcing a key that waits to be shown. */
export function revealKeyNotice(page: Page, developerEmail: string): Locator {
  return page.getByRole('button', { name: `Reveal key for ${developerEmail}` })
}

/**
 * Clicks Approve and answers the key dialog. An approval that completes in the background (sent
 * from the outbox) announces its key with a "Reveal key for <email>" notice instead: open it.
 */
export async function approveAndOpenKey(page: Page, developerEmail: string): Promise<Locator> {
  await detailPane(page).getByRole('button', { name: 'Approve', exact: true }).click()
  const keyDialog = page.getByRole('dialog', { name: 'Key issued' })
  const notice = revealKeyNotice(page, developerEmail)
  await expect(keyDialog.or(notice).first()).toBeVisible()
  if (!(await keyDialog.isVisible())) await notice.click()
  await expect(keyDialog).toBeVisible()
  return keyDialog
}

const secretFields = { rawKey: 'API key', password: 'Password', secret: 'OAuth client secret' }

/**
 * Copies the open key dialog's secret with its Copy button (which has focus), checks main's
 * clipboard now holds exactly it, then closes the dialog, which no longer asks.
 */
export async function copyAndCloseKey(app: KeygateTestApp, keyDialog: Locator): Promise<void> {
  const shown = await shownCredential(keyDialog)
  const field = (Object.keys(secretFields) as (keyof typeof secretFields)[]).find(
    (name) => name in shown
  )
  if (!field) throw new Error(`no secret among the shown fields ${Object.keys(shown).join(', ')}`)
  await expect(keyDialog.getByRole('button', { name: /^Copy / }).first()).toBeFocused()
  await keyDialog.getByRole('button', { name: `Copy ${secretFields[field]}` }).click()
  await expect.poll(() => app.clipboardText()).toBe(shown[field])
  await keyDialog.getByRole('button', { name: 'I have copied it, close' }).click()
  await expect(keyDialog).toBeHidden()
}

/** Adds the test's portal with the right key and waits until its pending list is on screen. */
export async function connectPortal(app: KeygateTestApp): Promise<RequestFacts[]> {
  const { page, portal } = app
  await addPortal(page, { name: 'Staging', baseUrl: portal.url, secret: adminSecret })
  const pending = await pendingFacts(portal)
  await expect.poll(() => shownRequestIds(page)).toEqual(pending.map((r) => r.id).sort())
  return pending
}

/** Selects a request in the list and waits until the detail pane shows it. */
export async function openRequest(app: KeygateTestApp, request: RequestFacts): Promise<void> {
  await requestRow(app.page, request.id).click()
  await expect(requestRow(app.page, request.id)).toHaveAttribute('aria-selected', 'true')
  const detail = detailPane(app.page)
  await expect(detail.getByRole('heading', { name: request.developerEmail })).toBeVisible()
  await expect(detail).toContainText(request.catalogueName)
  await expect(detail).toContainText(request.id)
}

/** Opens the Outbox drawer from the header. */
export async function openOutbox(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: /^Outbox, / }).click()
  const outbox = page.getByRole('dialog', { name: 'Outbox' })
  await expect(outbox).toBeVisible()
  return outbox
}

/** One action in the open Outbox drawer, as its entry is labelled ("Approve dev@example.com"). */
export function outboxEntry(
  outbox: Locator,
  kind: 'Approve' | 'Decline',
  developerEmail: string
): Locator {
  return outbox.getByRole('listitem', { name: `${kind} ${developerEmail}`, exact: true })
}

/** The rows of the Decisions tab's log, in the order shown (it is virtualised like the list). */
export function decisionRows(page: Page): Locator {
  return page.getByTestId('decision-list').getByTestId('decision-row')
}

export function decisionRow(page: Page, requestId: string): Locator {
  return decisionRows(page).and(page.locator(`[data-request-id="${requestId}"]`))
}

/** The request ids of the log's rows, top to bottom. */
export async function shownDecisionRequestIds(page: Page): Promise<string[]> {
  return decisionRows(page).evaluateAll((rows) =>
    rows.map((row) => row.getAttribute('data-request-id') ?? '')
  )
}
