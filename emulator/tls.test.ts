import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, callError, controlCall, startTestEmulator } from './test-support'
import type { RunningEmulator } from './types'

// A self-signed certificate for 127.0.0.1/localhost, valid for 100 years (test fixture only).
const fixtures = path.join(import.meta.dirname, 'fixtures')
const cert = readFileSync(path.join(fixtures, 'test-cert.pem'), 'utf8')
const key = readFileSync(path.join(fixtures, 'test-key.pem'), 'utf8')

let emu: RunningEmulator

beforeAll(async () => {
  emu = await startTestEmulator({ tls: { key, cert } })
})
afterAll(async () => {
  await emu.close()
})

describe('https', () => {
  it('serves the API and the control listener over https', async () => {
    expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(emu.controlUrl).toMatch(/^https:/)
    expect((await api(emu, 'GET', '/api/portal/requests?p=1', { ca: cert })).status).toBe(200)
    expect((await controlCall(emu, 'GET', 'stats', { ca: cert })).status).toBe(200)
  })

  it('is refused by a client that does not trust the self-signed certificate', async () => {
    expect(await callError(api(emu, 'GET', '/api/portal/requests'))).toBe(
      'DEPTH_ZERO_SELF_SIGNED_CERT'
    )
  })
})
