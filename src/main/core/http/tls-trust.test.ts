import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import tls from 'node:tls'
import { afterEach, describe, expect, it } from 'vitest'
import { createNodeTransport } from './node-transport'
import { testTls } from './test-tls'
import { failureOf, get } from './transport-test-support'

// The emulator's self-signed test certificate: SAN 127.0.0.1 and localhost only.
const fixtures = path.join(import.meta.dirname, '../../../../emulator/fixtures')
const cert = readFileSync(path.join(fixtures, 'test-cert.pem'), 'utf8')
const key = readFileSync(path.join(fixtures, 'test-key.pem'), 'utf8')
const fingerprint = new X509Certificate(cert).fingerprint256
const otherFingerprint = fingerprint.replace(/^../, fingerprint.startsWith('00') ? '11' : '00')

const servers: https.Server[] = []
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    server.close()
  }
})

/** An https server with the fixture certificate; `requests` counts what reached its handler. */
async function tlsServer(host = '127.0.0.1') {
  const seen = { requests: 0 }
  const server = https.createServer({ key, cert }, (_req, res) => {
    seen.requests += 1
    res.end('secure')
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  return { url: `https://${host}:${(server.address() as AddressInfo).port}/`, seen }
}

describe('an untrusted certificate', () => {
  it('is refused before anything is sent, with its SHA-256 fingerprint for the admin to check', async () => {
    const { url, seen } = await tlsServer()
    const failure = await failureOf(createNodeTransport()(get(url)))
    expect(failure).toMatchObject({ kind: 'tls', sent: false })
    expect(failure.message).toBe('the certificate is self-signed and not trusted')
    expect(failure.certificate).toMatchObject({
      sha256: fingerprint,
      subject: 'CN=keygate-emulator-test',
      changedFrom: null
    })
    expect(seen.requests).toBe(0)
  })
})

describe('a pinned certificate (trust on first use)', () => {
  it('accepts exactly the pinned certificate', async () => {
    const { url, seen } = await tlsServer()
    const response = await createNodeTransport()(get(url, { tls: { pinnedSha256: fingerprint } }))
    expect(response.body).toBe('secure')
    expect(seen.requests).toBe(1)
  })

  it('refuses a different certificate, naming both fingerprints, before sending anything', async () => {
    const { url, seen } = await tlsServer()
    const failure = await failureOf(
      createNodeTransport()(get(url, { tls: { pinnedSha256: otherFingerprint } }))
    )
    expect(failure).toMatchObject({ kind: 'tls', sent: false })
    expect(failure.message).toContain(
      `the certificate changed: this profile trusts SHA-256 ${otherFingerprint}`
    )
    expect(failure.message).toContain(`the server presented ${fingerprint}`)
    expect(failure.certificate).toMatchObject({
      sha256: fingerprint,
      changedFrom: otherFingerprint
    })
    expect(seen.requests).toBe(0)
  })

  it('refuses a pinned certificate that has expired, saying so plainly, before sending anything', async () => {
    const server = https.createServer(testTls.expired, (_req, res) => res.end('secure'))
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const pinned = new X509Certificate(testTls.expired.cert).fingerprint256
    const failure = await failureOf(
      createNodeTransport()(get(url, { tls: { pinnedSha256: pinned } }))
    )
    expect(failure).toMatchObject({ kind: 'tls', sent: false, certificate: null })
    expect(failure.message).toBe(
      'the pinned certificate expired on 2021-01-01: confirm the new one once the Dashboard has a renewed certificate (Test connection shows it)'
    )
  })

  it('still checks the host name against the pinned certificate', async () => {
    const { url, seen } = await tlsServer('127.0.0.2')
    const failure = await failureOf(
      createNodeTransport()(get(url, { tls: { pinnedSha256: fingerprint } }))
    )
    expect(failure).toMatchObject({ kind: 'tls', sent: false })
    expect(failure.message).toBe('the certificate is not valid for 127.0.0.2')
    expect(seen.requests).toBe(0)
  })

  it('does not let the pin of one profile trust the server for another', async () => {
    const { url } = await tlsServer()
    const transport = createNodeTransport()
    expect((await transport(get(url, { tls: { pinnedSha256: fingerprint } }))).body).toBe('secure')
    expect((await failureOf(transport(get(url)))).kind).toBe('tls')
  })
})

describe('the trust store', () => {
  it('trusts a certificate authority installed in the OS store, without a per-profile CA', async () => {
    const { url } = await tlsServer()
    const transport = createNodeTransport({ trustedRoots: () => [...tls.rootCertificates, cert] })
    expect((await transport(get(url))).body).toBe('secure')
  })

  it('keeps the per-profile custom CA', async () => {
    const { url } = await tlsServer()
    expect((await createNodeTransport()(get(url, { tls: { ca: cert } }))).body).toBe('secure')
  })
})

describe('a trusted certificate for another host name', () => {
  it('is refused without offering its fingerprint for pinning', async () => {
    const { url, seen } = await tlsServer('127.0.0.2')
    const failure = await failureOf(createNodeTransport()(get(url, { tls: { ca: cert } })))
    expect(failure).toMatchObject({ kind: 'tls', sent: false, certificate: null })
    expect(failure.message).toBe('the certificate is not valid for 127.0.0.2')
    expect(seen.requests).toBe(0)
  })
})
