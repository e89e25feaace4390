import type { Page } from '@playwright/test'
import { expect, test } from '../harness/fixtures'
import { connectPortal, shownRequestIds } from './support/keygate-ui'

function search(page: Page) {
  return page.getByRole('searchbox', { name: 'Search requests' })
}

function sortSelect(page: Page) {
  return page.getByRole('combobox', { name: 'Sort requests' })
}

function savedView(page: Page, name: string) {
  return page
    .getByRole('list', { name: 'Saved views' })
    .getByRole('button', { name: new RegExp(`^View ${name},`) })
}

test('a saved view: query syntax and sort, a count in the sidebar, and the view survives a restart', async ({
  app
}) => {
  const { page } = app
  const pending = await connectPortal(app)
  const developer = pending[0]!.developerEmail
  const matching = pending
    .filter((request) => request.developerEmail === developer)
    .map((request) => request.id)
    .sort()
  const catalogue = pending[0]!.catalogueName
  const both = pending
    .filter(
      (request) => request.developerEmail === developer && request.catalogueName === catalogue
    )
    .map((request) => request.id)
    .sort()

  await search(page).fill(`dev:${developer}`)
  await expect.poll(() => shownRequestIds(page)).toEqual(matching)
  await search(page).fill(`dev:${developer} catalogue:"${catalogue}"`)
  await expect.poll(() => shownRequestIds(page)).toEqual(both)
  await sortSelect(page).selectOption({ label: 'Oldest first' })

  await page.getByRole('button', { name: '+ Save this view' }).click()
  await page.getByRole('textbox', { name: 'View name' }).fill('One developer')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  const view = savedView(page, 'One developer')
  await expect(view).toHaveAttribute('aria-current', 'true')
  await expect(view.getByTestId('view-count')).toHaveText(String(both.length))

  // Elsewhere, the view brings its query and sort back.
  await search(page).fill('')
  await sortSelect(page).selectOption({ label: 'Newest first' })
  await expect.poll(() => shownRequestIds(page)).toEqual(pending.map((r) => r.id).sort())
  await expect(view).not.toHaveAttribute('aria-current', 'true')
  await view.click()
  await expect(search(page)).toHaveValue(`dev:${developer} catalogue:"${catalogue}"`)
  await expect(sortSelect(page)).toHaveValue('oldest')
  await expect.poll(() => shownRequestIds(page)).toEqual(both)

  // A restart of the renderer keeps the view on screen and the saved view.
  await page.reload()
  await expect(search(page)).toHaveValue(`dev:${developer} catalogue:"${catalogue}"`)
  await expect(sortSelect(page)).toHaveValue('oldest')
  await expect.poll(() => shownRequestIds(page)).toEqual(both)
  await expect(savedView(page, 'One developer').getByTestId('view-count')).toHaveText(
    String(both.length)
  )
})
