import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { startEmulator } from '../../emulator'
import { adminSecret, expect, test } from '../harness/fixtures'
import {
  addPortal,
  fillProfileForm,
  openAddPortal,
  requestRows,
  shownRequestIds,
  sidebarEntry
} from './support/keygate-ui'

const rejected = 'API secret rejected (401)'

test('a wrong API key is reported clearly; saving the right one shows the portal’s pending requests', async ({
  app
}) => {
  const { page, portal } = app
  const editor = await openAddPortal(page)
  await fillProfileForm(editor, {
    name: 'Staging',
    baseUrl: portal.url,
    secret: 'not-the-api-key'
  })
  await editor.getByRole('button', { name: 'Test connection' }).click()
  await expect(editor.getByRole('status')).toHaveText(/^Connection test failed/)
  await expect(editor.getByRole('list', { name: 'Connection checks' })).toContainText(rejected)
  await app.screenshot('profile-test-wrong-secret')

  // Saving is allowed (the Dashboard may be down right now); the list then says what is wrong.
  await editor.getByRole('button', { name: 'Add portal', exact: true }).click()
  await expect(editor).toBeHidden()
  await expect(sidebarEntry(page, 'Staging')).toBeVisible()
  const banner = page.getByTestId('stale-banner')
  await expect(banner).toBeVisible()
  await expect(banner).toContainText('API key problem')
  await expect(banner).toContainText(rejected)
  await expect(requestRows(page)).toHaveCount(0)
  await app.screenshot('list-wrong-secret')

  await page.getByRole('button', { name: 'Edit portal Staging' }).click()
  const edit = page.getByRole('dialog', { name: 'Edit portal Staging' })
  await expect(edit.getByLabel('Dashboard URL', { exact: true })).toHaveValue(portal.url)
  await fillProfileForm(edit, { secret: adminSecret })
  await edit.getByRole('button', { name: 'Test connection' }).click()
  const pending = portal.control.requestIds({ approved: false })
  await expect(edit.getByRole('status')).toHaveText(/^Connection works/)
  await expect(edit.getByRole('status')).toContainText(`${pending.length} pending requests`)
  await edit.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(edit).toBeHidden()

  await expect(banner).toHaveCount(0)
  await expect.poll(() => shownRequestIds(page)).toEqual([...pending].sort())
  await expect(page.getByText(`${pending.length} requests`, { exact: true })).toBeVisible()
  await expect(sidebarEntry(page, 'Staging')).toHaveAccessibleDescription(
    new RegExp(`^${pending.length} pending`)
  )
  await app.screenshot('list')
})

test('changing the Dashboard URL needs the API key again before it is saved or tested', async ({
  app
}) => {
  const { page, portal } = app
  await addPortal(page, { name: 'Moving', baseUrl: portal.url, secret: adminSecret })
  await page.getByRole('button', { name: 'Edit portal Moving' }).click()
  const edit = page.getByRole('dialog', { name: 'Edit portal Moving' })
  // Another origin (host name instead of IP), though the same emulator answers there.
  const moved = portal.url.replace('127.0.0.1', 'localhost')
  await fillProfileForm(edit, { baseUrl: moved })
  await expect(edit.getByTestId('http-badge')).toHaveText('Not encrypted')

  await edit.getByRole('button', { name: 'Save', exact: true }).click()
  const secretError = edit.locator('#profile-secret-error')
  await expect(secretError).toHaveText('Changing the Dashboard URL needs its API key again')
  await edit.getByRole('button', { name: 'Test connection' }).click()
  await expect(edit.getByRole('list', { name: 'Connection checks' })).toHaveCount(0)
  await app.screenshot('profile-url-change-needs-key')

  await fillProfileForm(edit, { secret: adminSecret })
  await edit.getByRole('button', { name: 'Test connection' }).click()
  await expect(edit.getByRole('status')).toHaveText(/^Connection works/)
  await expect(edit.getByRole('list', { name: 'Connection checks' })).toContainText(
    'Plain http://: not encrypted'
  )
  await edit.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(edit).toBeHidden()
  const pending = portal.control.requestIds({ approved: false })
  await expect.poll(() => shownRequestIds(page)).toEqual([...pending].sort())
})

test('a self-signed Dashboard: Test connection shows the certificate’s fingerprint; once trusted, it works', async ({
  app
}) => {
  const fixtures = path.resolve('emulator/fixtures')
  const cert = readFileSync(path.join(fixtures, 'test-cert.pem'), 'utf8')
  const key = readFileSync(path.join(fixtures, 'test-key.pem'), 'utf8')
  const secure = await startEmulator({ secret: adminSecret, seedPending: 4, tls: { key, cert } })
  try {
    const { page } = app
    const editor = await openAddPortal(page)
    await fillProfileForm(editor, {
      name: 'Self-signed',
      baseUrl: secure.url,
      secret: adminSecret
    })
    await editor.getByRole('button', { name: 'Test connection' }).click()
    await expect(editor.getByRole('status')).toHaveText(/^Connection test failed/)
    const fingerprint = new X509Certificate(cert).fingerprint256
    await expect(editor.getByTestId('certificate-fingerprint')).toHaveText(fingerprint)
    await app.screenshot('profile-confirm-certificate')

    await editor.getByRole('button', { name: /trust this certificate/ }).click()
    await expect(editor.getByTestId('pinned-certificate')).toContainText(fingerprint)
    await editor.getByRole('button', { name: 'Test connection' }).click()
    await expect(editor.getByRole('status')).toHaveText(/^Connection works/)
    await editor.getByRole('button', { name: 'Add portal', exact: true }).click()
    await expect(editor).toBeHidden()
    const pending = secure.control.requestIds({ approved: false })
    await expect.poll(() => shownRequestIds(page)).toEqual([...pending].sort())
  } finally {
    await secure.close()
  }
})
