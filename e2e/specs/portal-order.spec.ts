import type { Page } from '@playwright/test'
import { adminSecret, expect, test } from '../harness/fixtures'
import { addPortal, connectPortal, sidebarEntry } from './support/keygate-ui'

/** The portals' names in the sidebar, top to bottom. */
function portalOrder(page: Page): Promise<string[]> {
  return page
    .getByRole('navigation', { name: 'Portals' })
    .locator('li[data-profile-id] .nav-name')
    .allTextContents()
}

test('portals reorder with Alt+Up/Down and by dragging; the order survives a restart', async ({
  app
}) => {
  const { page, portal } = app
  await connectPortal(app)
  await addPortal(page, { name: 'Production', baseUrl: portal.url, secret: adminSecret })
  await addPortal(page, { name: 'Customers', baseUrl: portal.url, secret: adminSecret })
  await expect.poll(() => portalOrder(page)).toEqual(['Staging', 'Production', 'Customers'])

  const customers = sidebarEntry(page, 'Customers')
  await customers.focus()
  await page.keyboard.press('Alt+ArrowUp')
  await page.keyboard.press('Alt+ArrowUp')
  await expect.poll(() => portalOrder(page)).toEqual(['Customers', 'Staging', 'Production'])
  await expect(customers).toBeFocused()
  await page.keyboard.press('Alt+ArrowDown')
  await expect.poll(() => portalOrder(page)).toEqual(['Staging', 'Customers', 'Production'])

  const entry = (name: string) =>
    page.getByRole('navigation', { name: 'Portals' }).locator('li[data-profile-id]', {
      has: page.getByRole('button', { name, exact: true })
    })
  await entry('Production').dragTo(entry('Staging'))
  await expect.poll(() => portalOrder(page)).toEqual(['Production', 'Staging', 'Customers'])

  await page.reload()
  await expect.poll(() => portalOrder(page)).toEqual(['Production', 'Staging', 'Customers'])
})
