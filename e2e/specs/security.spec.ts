import { expect, test } from '../harness/fixtures'
import { connectPortal, detailPane, openRequest } from './support/keygate-ui'
import { pendingFacts } from './support/portal-facts'

const plantedKey = 'eyJvcmciOiJlMmUtcGxhbnRlZCIsImlkIjoiYWJjIn0'
const plantedJwtSecret = 'e2e-jwt-hmac-secret-planted'

test('raw JSON: credential-bearing fields show a placeholder, never their value', async ({
  app
}) => {
  const { page, portal } = app
  const template = portal.control.getRequest(portal.control.requestIds({ approved: false })[0]!)!
  const [plantedId] = portal.control.insertRequests([
    {
      by_user: template.by_user,
      apply_policies: template.apply_policies,
      for_plan: template.for_plan,
      key: plantedKey,
      jwt_secret: plantedJwtSecret,
      fields: { reason: 'Planted for the raw JSON check' },
      approved: false,
      date_created: new Date().toISOString()
    }
  ])
  await connectPortal(app)
  const planted = (await pendingFacts(portal)).find((request) => request.id === plantedId)!
  await openRequest(app, planted)
  const raw = detailPane(page).locator('details.raw-json')
  await raw.getByText('Raw JSON from the Dashboard').click()
  await expect(raw.locator('pre')).toContainText('"jwt_secret": "[hidden by Keygate]"')
  await expect(raw.locator('pre')).toContainText('"key": "[hidden by Keygate]"')
  await expect(raw.locator('pre')).toContainText('Planted for the raw JSON check')
  const shown = (await page.content()) + (await raw.locator('pre').innerText())
  expect(shown).not.toContain(plantedKey)
  expect(shown).not.toContain(plantedJwtSecret)
  await app.screenshot('raw-json-hidden')
})
