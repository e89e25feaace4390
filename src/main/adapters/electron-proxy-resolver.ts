import { parsePacResult, type ResolveProxy } from '../core/http/proxy'

/** The slice of Electron's `Session` this adapter uses (injected, so tests run in Node). */
export interface ProxySession {
  resolveProxy(url: string): Promise<string>
}

/**
 * Proxies like the rest of the OS: Chromium resolves each URL against the system settings (PAC
 * scripts, WPAD, desktop settings, the proxy environment variables on Linux).
 */
export function createElectronProxyResolver(session: ProxySession): ResolveProxy {
  return async (url) => parsePacResult(await session.resolveProxy(url))
}
