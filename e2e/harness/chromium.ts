/** Debian's Chromium, which Playwright drives here (no browser can be downloaded). */
export const chromiumPath = '/usr/bin/chromium'

/**
 * Flags for a headless Chromium on a machine with a closed network: without the background
 * networking ones it keeps trying to reach Google's hosts at every start.
 */
export const headlessChromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]
