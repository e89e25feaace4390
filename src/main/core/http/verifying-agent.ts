import http from 'node:http'
import https from 'node:https'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import tls from 'node:tls'
import type { ServerCertificate } from '../../../shared/domain'
import { HttpTransportError } from '../ports'
import type { ProxyServer } from './proxy'
import { tlsReason, toTransportError } from './transport-failure'
import { openTunnel } from './tunnel'

/** Bounds a handshake whose request already gave up, so its socket is not kept forever. */
const HANDSHAKE_CAP_MS = 30_000

export interface Trust {
  /** Every root this connection trusts (bundled, OS store, the profile's CA). */
  ca: readonly string[]
  /** The one certificate accepted instead of a verified chain, by SHA-256 fingerprint. */
  pinnedSha256: string | null
}

export const normaliseFingerprint = (value: string): string =>
  value
    .replace(/[^0-9a-f]/gi, '')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:')

const distinguishedName = (name: tls.Certificate | undefined): string =>
  Object.entries(name ?? {})
    .map(([field, value]) => `${field}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ')

function describe(peer: tls.PeerCertificate, changedFrom: string | null): ServerCertificate {
  const validTo = new Date(peer.valid_to)
  return {
    sha256: normaliseFingerprint(peer.fingerprint256),
    subject: distinguishedName(peer.subject),
    issuer: distinguishedName(peer.issuer),
    validTo: Number.isNaN(validTo.getTime()) ? peer.valid_to : validTo.toISOString(),
    changedFrom
  }
}

const tlsFailure = (message: string, certificate: ServerCertificate | null = null) =>
  new HttpTransportError('tls', false, message, certificate)

/** Null when the handshake's certificate may carry this request, else why not. */
function verify(socket: tls.TLSSocket, hostname: string, pin: string | null) {
  const peer = socket.getPeerCertificate()
  if (!peer?.fingerprint256) return tlsFailure('the server sent no certificate')
  if (pin !== null) {
    const presented = normaliseFingerprint(peer.fingerprint256)
    if (presented !== pin) {
      return tlsFailure(
        `the certificate changed: this profile trusts SHA-256 ${pin}, the server presented ${presented}. If the Dashboard's certificate was renewed, test the connection and confirm the new fingerprint`,
        describe(peer, pin)
      )
    }
    // A pin replaces the chain check, dates included: an expired pinned certificate is said so.
    const validTo = new Date(peer.valid_to)
    if (validTo.getTime() < Date.now()) {
      return tlsFailure(
        `the pinned certificate expired on ${validTo.toISOString().slice(0, 10)}: confirm the new one once the Dashboard has a renewed certificate (Test connection shows it)`
      )
    }
    const identity = tls.checkServerIdentity(hostname, peer)
    return identity ? tlsFailure(tlsReason(identity, hostname)) : null
  }
  if (socket.authorized) return null
  const code = String(socket.authorizationError ?? 'CERT_UNTRUSTED')
  // A certificate for another host is no candidate for pinning: the pin checks the host too.
  const wrongHost = code === 'ERR_TLS_CERT_ALTNAME_INVALID'
  return tlsFailure(
    tlsReason(Object.assign(new Error(code), { code }), hostname),
    wrongHost ? null : describe(peer, null)
  )
}

type ConnectionCallback = (error: Error | null, stream: Duplex) => void

/** Reports a failure before any socket exists (Node ignores the stream argument then). */
const failBeforeSocket = (callback: ConnectionCallback | undefined, error: Error): void =>
  callback?.(error, undefined as unknown as Duplex)

/**
 * An https agent that hands a socket to a request only once its certificate was verified (chain
 * and host name, or the pin and host name), so not one request byte is written to a server that
 * failed. A failure carries the server's certificate, for the admin to check and pin. With a
 * proxy, TLS runs inside a CONNECT tunnel.
 */
export function createVerifyingAgent(trust: Trust, proxy: ProxyServer | null): https.Agent {
  const pin = trust.pinnedSha256 === null ? null : normaliseFingerprint(trust.pinnedSha256)
  // Resumed sessions skip the checks above; a keep-alive socket is reused instead.
  const agent = new https.Agent({ keepAlive: true, maxCachedSessions: 0 })
  // Parsed once per agent: a few hundred roots are too many to parse for every connection.
  let secureContext: tls.SecureContext | null = null
  const context = () => (secureContext ??= tls.createSecureContext({ ca: [...trust.ca] }))

  const handshake = (
    options: https.RequestOptions,
    tunnel: Socket | undefined,
    callback: ConnectionCallback | undefined
  ) => {
    const hostname = options.servername || options.hostname || options.host || 'localhost'
    let socket: tls.TLSSocket
    try {
      socket = tls.connect({
        ...(options as tls.ConnectionOptions),
        ...(tunnel ? { socket: tunnel } : {}),
        secureContext: context(),
        // Verified below, before the socket is handed over: the only way to see an untrusted
        // certificate's fingerprint, and to accept a pinned one.
        rejectUnauthorized: false
      })
    } catch (error) {
      // A custom CA that is not PEM fails here, before any connection.
      tunnel?.destroy()
      failBeforeSocket(callback, toTransportError(error, false, hostname))
      return
    }
    let settled = false
    const settle = (error: Error | null) => {
      if (settled) return
      settled = true
      socket.setTimeout(0)
      socket.off('error', settle)
      if (error) {
        socket.destroy()
        failBeforeSocket(callback, error)
      } else {
        callback?.(null, socket)
      }
    }
    socket.once('error', settle)
    socket.setTimeout(HANDSHAKE_CAP_MS, () =>
      settle(new HttpTransportError('timeout', false, 'the TLS handshake did not complete'))
    )
    socket.once('secureConnect', () => settle(verify(socket, hostname, pin)))
  }

  agent.createConnection = (options, callback) => {
    if (!proxy) {
      handshake(options, undefined, callback)
      return undefined
    }
    openTunnel(proxy, options.hostname ?? options.host ?? 'localhost', Number(options.port)).then(
      (tunnel) => handshake(options, tunnel, callback),
      (error: Error) => failBeforeSocket(callback, error)
    )
    return undefined
  }
  return agent
}

/** A plain-http agent whose every connection is a CONNECT tunnel through `proxy`. */
export function createTunnelAgent(proxy: ProxyServer): http.Agent {
  const agent = new http.Agent({ keepAlive: true })
  agent.createConnection = (options, callback) => {
    openTunnel(proxy, options.hostname ?? options.host ?? 'localhost', Number(options.port)).then(
      (tunnel) => callback?.(null, tunnel),
      (error: Error) => failBeforeSocket(callback, error)
    )
    return undefined
  }
  return agent
}
