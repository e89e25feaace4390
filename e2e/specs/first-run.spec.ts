import { expect, test } from '../harness/fixtures'
import { detailPane, requestRows, sidebarEntry } from './support/keygate-ui'

const demoPending = 25

test('first run: the welcome screen offers the demo portal, which brings its 25 pending requests', async ({
  app
}) => {
  const { page } = app
  await expect(page.getByRole('heading', { name: 'Welcome to Keygate' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Add a portal', exact: true })).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Portals' })).toHaveCount(0)
  await app.screenshot('welcome')

  await page.getByRole('button', { name: 'Try the demo portal' }).click()

  const demo = sidebarEntry(page, 'Demo portal')
  await expect(demo).toBeVisible()
  await expect(demo).toHaveAttribute('aria-current', 'page')
  await expect(demo).toHaveAccessibleDescription(new RegExp(`^${demoPending} pending`))
  await expect(page.getByRole('heading', { level: 1, name: 'Demo portal' })).toBeVisible()
  await expect(page.getByText(`${demoPending} requests`, { exact: true })).toBeVisible()
  await expect(requestRows(page).first()).toBeVisible()
  await expect(detailPane(page)).toContainText('Select a request')
  await app.screenshot('demo-list')

  // The merged inbox holds the same requests when the demo is the only portal.
  await sidebarEntry(page, 'All portals').click()
  await expect(page.getByRole('heading', { level: 1, name: 'All portals' })).toBeVisible()
  await expect(page.getByText(`${demoPending} requests`, { exact: true })).toBeVisible()
  await expect(sidebarEntry(page, 'All portals')).toHaveAccessibleDescription(
    `${demoPending} pending`
  )
})
