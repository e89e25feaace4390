import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { systemCertificates, uniqueCertificates, type TrustStoreDeps } from './trust-store'

const cert = readFileSync(
  path.join(import.meta.dirname, '../../../../emulator/fixtures/test-cert.pem'),
  'utf8'
).trim()

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function bundleFile(content: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-bundle-'))
  dirs.push(dir)
  const file = path.join(dir, 'ca-bundle.crt')
  writeFileSync(file, content)
  return file
}

const readFile = (file: string) => readFileSync(file, 'utf8')
const linux = (bundlePaths: string[]): TrustStoreDeps => ({
  platform: 'linux',
  readFile,
  bundlePaths
})

describe('systemCertificates', () => {
  it('uses Node’s own list of the OS store where it has one', () => {
    const asked: string[] = []
    const roots = systemCertificates({
      ...linux([]),
      platform: 'win32',
      getCACertificates: (type) => {
        asked.push(type)
        return [cert]
      }
    })
    expect(asked).toEqual(['system'])
    expect(roots).toEqual([cert])
  })

  it('reads every certificate of the first Linux bundle that exists', () => {
    const bundle = bundleFile(`# comment\n${cert}\n\n${cert}\n`)
    const roots = systemCertificates(
      linux([path.join(path.dirname(bundle), 'missing.crt'), bundle])
    )
    expect(roots).toEqual([cert, cert])
  })

  it('answers none where there is neither (macOS or Windows on an older Node, no bundle)', () => {
    expect(systemCertificates({ ...linux([bundleFile(cert)]), platform: 'darwin' })).toEqual([])
    expect(systemCertificates(linux(['/nonexistent/keygate/bundle.crt']))).toEqual([])
  })
})

describe('uniqueCertificates', () => {
  it('keeps one of each certificate, whatever its line wrapping', () => {
    const rewrapped = cert.replace(/\n/g, '\r\n')
    expect(uniqueCertificates([cert, rewrapped, `${cert}\n`])).toEqual([cert])
  })
})
