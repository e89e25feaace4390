import { X509Certificate, createPrivateKey } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { testTls } from './test-tls'

const ca = new X509Certificate(testTls.ca)
const cert = (pem: string) => new X509Certificate(pem)
const TEN_YEARS_MS = 10 * 365 * 24 * 60 * 60_000

describe('committed TLS fixtures', () => {
  it('stay valid for at least ten more years, so no TLS test starts failing on a date', () => {
    for (const pem of [
      testTls.ca,
      testTls.selfSigned.cert,
      testTls.localhost.cert,
      testTls.wrongHost.cert
    ]) {
      expect(Date.parse(cert(pem).validTo)).toBeGreaterThan(Date.now() + TEN_YEARS_MS)
    }
  })

  it('name 127.0.0.1 and localhost, except the wrong-host certificate', () => {
    for (const pem of [testTls.selfSigned.cert, testTls.localhost.cert]) {
      expect(cert(pem).checkIP('127.0.0.1')).toBe('127.0.0.1')
      expect(cert(pem).checkHost('localhost')).toBe('localhost')
    }
    expect(cert(testTls.wrongHost.cert).checkIP('127.0.0.1')).toBeUndefined()
    expect(cert(testTls.wrongHost.cert).checkHost('wrong-host.example')).toBe('wrong-host.example')
  })

  it('chain the issued certificates to the test CA, which did not sign the self-signed one', () => {
    expect(ca.ca).toBe(true)
    expect(cert(testTls.localhost.cert).checkIssued(ca)).toBe(true)
    expect(cert(testTls.wrongHost.cert).checkIssued(ca)).toBe(true)
    expect(cert(testTls.selfSigned.cert).checkIssued(ca)).toBe(false)
  })

  it('pair each certificate with its own key', () => {
    for (const { key, cert: pem } of [testTls.selfSigned, testTls.localhost, testTls.wrongHost]) {
      expect(cert(pem).checkPrivateKey(createPrivateKey(key))).toBe(true)
    }
  })
})
