/** Test support: the committed TLS fixtures (emulator/fixtures/README.md says how they were made). */
import { readFileSync } from 'node:fs'
import path from 'node:path'

export interface TlsPair {
  key: string
  cert: string
}

const fixtures = path.resolve(import.meta.dirname, '../../../../emulator/fixtures')
const read = (...parts: string[]): string => readFileSync(path.join(fixtures, ...parts), 'utf8')
const pair = (dir: string, name: string): TlsPair => ({
  key: read(dir, `${name}-key.pem`),
  cert: read(dir, `${name}-cert.pem`)
})

export const testTls = {
  /** Self-signed for 127.0.0.1 and localhost. */
  selfSigned: pair('.', 'test'),
  /** The CA that issued `localhost` and `wrongHost`. */
  ca: read('tls', 'ca-cert.pem'),
  /** Issued by `ca` for 127.0.0.1 and localhost. */
  localhost: pair('tls', 'localhost'),
  /** Issued by `ca` for wrong-host.example only: a name mismatch on 127.0.0.1. */
  wrongHost: pair('tls', 'wrong-host'),
  /** Self-signed for 127.0.0.1 and localhost, expired on 2021-01-01. */
  expired: pair('tls', 'expired')
}
