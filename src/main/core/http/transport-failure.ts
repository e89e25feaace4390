import { HttpTransportError, type TransportFailureKind } from '../ports'

const noTls = 'the server did not answer with TLS (is the URL http:// instead?)'

/** OpenSSL / Node verification codes, in words a user can act on. */
const certificateReasons: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a self-signed root that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate was issued by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate was issued by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate was issued by an unknown authority',
  CERT_UNTRUSTED: 'the certificate is not trusted',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  CERT_REVOKED: 'the certificate has been revoked',
  CERT_SIGNATURE_FAILURE: 'the certificate signature is invalid',
  INVALID_CA: 'a certificate in the chain is not a valid authority',
  ERR_SSL_WRONG_VERSION_NUMBER: noTls,
  ERR_SSL_PACKET_LENGTH_TOO_LONG: noTls
}

const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA'])
const unreachableCodes = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])
const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE'])

interface NodeError {
  code?: string
  message: string
  library?: string
}

const asNodeError = (error: unknown): NodeError =>
  error instanceof Error ? (error as NodeError) : { message: String(error) }

const isTlsFailure = (error: NodeError): boolean =>
  (error.code !== undefined &&
    (error.code in certificateReasons ||
      error.code.startsWith('ERR_SSL_') ||
      error.code.startsWith('ERR_TLS_') ||
      error.code.startsWith('ERR_OSSL_') ||
      /CERT|_ISSUER_|SELF_SIGNED/.test(error.code))) ||
  error.code === 'EPROTO' ||
  error.library === 'SSL routines' ||
  /SSL routines/.test(error.message)

/** The reason a TLS connection failed, in words (no stack, no raw OpenSSL jargon where avoidable). */
export function tlsReason(error: unknown, host: string): string {
  const e = asNodeError(error)
  const code = e.code ?? ''
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the certificate is not valid for ${host}`
  const known = certificateReasons[code]
  if (known) return known
  if (/wrong version number|packet length too long|http request/i.test(e.message)) {
    return noTls
  }
  if (code.startsWith('ERR_OSSL_PEM') || /PEM/i.test(e.message)) {
    return "the profile's custom CA is not a valid PEM certificate"
  }
  return `the TLS handshake failed (${code || e.message})`
}

/**
 * Maps a Node socket/TLS/DNS error to an `HttpTransportError`. `sent` says whether the request
 * bytes had been handed to the socket; refused, DNS and TLS failures always happen before that.
 */
export function toTransportError(error: unknown, sent: boolean, host: string): HttpTransportError {
  if (error instanceof HttpTransportError) return error
  const e = asNodeError(error)
  const code = e.code ?? ''
  const make = (kind: TransportFailureKind, wasSent: boolean, message: string) =>
    new HttpTransportError(kind, wasSent, message)
  if (unreachableCodes.has(code)) {
    const verb = code === 'ECONNREFUSED' ? 'connection refused by' : 'no route to'
    return make('refused', false, `${verb} ${host}`)
  }
  if (dnsCodes.has(code)) return make('dns', false, `cannot resolve ${host}`)
  if (isTlsFailure(e)) return make('tls', false, tlsReason(e, host))
  if (resetCodes.has(code) || e.message === 'socket hang up') {
    return make('reset', sent, `connection reset by ${host}`)
  }
  if (code === 'ETIMEDOUT') return make('timeout', sent, `connection to ${host} timed out`)
  return make('other', sent, `request to ${host} failed (${code || e.message})`)
}
