import { defineConfig } from '@playwright/test'

/**
 * Two projects run the same specs: `browser-harness` drives the built renderer in Debian's
 * Chromium with window.keygate bound to a real AppCore in this process (always runs);
 * `electron` launches the built app through Playwright's _electron (skips, saying why, when no
 * Electron binary is present).
 */
export default defineConfig({
  testDir: './e2e/specs',
  outputDir: './test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list'], ['./test-support/playwright-skip-guard.ts']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    { name: 'browser-harness', metadata: { mode: 'browser' } },
    { name: 'electron', metadata: { mode: 'electron' } }
  ]
})
