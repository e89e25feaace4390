import { readFileSync } from 'node:fs'
import tls from 'node:tls'

/** Where Linux distributions keep the system CA bundle (Debian/Ubuntu/Alpine, Fedora/RHEL, SUSE). */
export const linuxBundlePaths = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem'
] as const

export interface TrustStoreDeps {
  /** Node 22.15+ lists the OS store (Windows, macOS keychain, Linux bundle); older Node lacks it. */
  getCACertificates?: (type: 'system') => string[]
  platform: NodeJS.Platform
  readFile: (path: string) => string
  bundlePaths: readonly string[]
}

const pemBlocks = (bundle: string): string[] =>
  bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []

/**
 * The OS's trusted roots, so a corporate CA installed on the machine just works: Node's own list
 * where it has one, else on Linux the first system bundle file found. Empty when neither exists.
 */
export function systemCertificates(deps: TrustStoreDeps): string[] {
  if (deps.getCACertificates) return deps.getCACertificates('system')
  if (deps.platform !== 'linux') return []
  for (const path of deps.bundlePaths) {
    let bundle: string
    try {
      bundle = deps.readFile(path)
    } catch {
      continue // not this distribution's location
    }
    return pemBlocks(bundle)
  }
  return []
}

/** Node's bundled roots plus the OS store: what every https connection trusts. */
export function defaultTrustedRoots(): readonly string[] {
  const system = systemCertificates({
    getCACertificates: (tls as { getCACertificates?: TrustStoreDeps['getCACertificates'] })
      .getCACertificates,
    platform: process.platform,
    readFile: (path) => readFileSync(path, 'utf8'),
    bundlePaths: linuxBundlePaths
  })
  return uniqueCertificates([...tls.rootCertificates, ...system])
}

/** Drops repeats (the OS bundle mostly repeats Node's), however each PEM is wrapped. */
export function uniqueCertificates(pems: readonly string[]): string[] {
  const seen = new Set<string>()
  return pems.filter((pem) => {
    const body = pem.replace(/-----[^-]+-----|\s/g, '')
    if (seen.has(body)) return false
    seen.add(body)
    return true
  })
}
