/** Test support: a throwaway self-signed certificate for 127.0.0.1, made with the openssl CLI. */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type SelfSigned = { ok: true; key: string; cert: string } | { ok: false; reason: string }

/** Generates a P-256 self-signed certificate (SAN 127.0.0.1 and localhost), or says why not. */
export function makeSelfSignedCert(): SelfSigned {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-tls-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=keygate-test',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem')
      ],
      { stdio: 'pipe' }
    )
    return {
      ok: true,
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8')
    }
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'openssl is not installed'
        : String(error)
    return { ok: false, reason: `cannot generate a test certificate: ${reason}` }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
