/**
 * The Content-Security-Policy sent with every renderer document (as a header; index.html carries
 * the same policy as a meta tag, minus `frame-ancestors`, for pages loaded without the header,
 * such as the browser harness; csp.test.ts keeps the two equal). The renderer never calls a portal itself: main proxies every
 * request, so `connect-src` stays on the app's own origin.
 */
export function contentSecurityPolicy(options: { devServerOrigin?: string } = {}): string {
  const dev = options.devServerOrigin
  const directives: Record<string, string> = {
    'default-src': "'none'",
    // Vite's dev server injects an inline module (React refresh); production has no inline script.
    'script-src': dev ? "'self' 'unsafe-inline'" : "'self'",
    'style-src': "'self' 'unsafe-inline'",
    'img-src': "'self' data:",
    'font-src': "'self'",
    'connect-src': dev ? `'self' ${dev.replace(/^http/, 'ws')}` : "'self'",
    'base-uri': "'none'",
    'form-action': "'none'",
    'frame-ancestors': "'none'",
    'object-src': "'none'"
  }
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ')
}
