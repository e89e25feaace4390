// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConnectionTest, ProfileSummary } from '../../../shared/domain'
import type { KeygateApi } from '../../../shared/ipc'
import { testProfileSummary } from '../lib/testing/profile-summary'
import { useProfilesStore } from '../store/profiles-store'
import { ProfileEditor } from './ProfileEditor'

const fingerprint = Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(
  ':'
)

const saved: ProfileSummary = testProfileSummary({
  id: 'p1',
  baseUrl: 'https://dash.example.com',
  createdAt: '2026-01-01T00:00:00.000Z'
})

/** Calls the editor made to main, by channel. */
let calls: { channel: string; args: unknown }[]
let testAnswer: ConnectionTest

function fakeBridge() {
  const answer = (channel: string, value: unknown) => async (args: unknown) => {
    calls.push({ channel, args })
    return { ok: true as const, value }
  }
  window.keygate = {
    'profiles:update': answer('profiles:update', saved),
    'profiles:create': answer('profiles:create', saved),
    'profiles:test': async (args: unknown) => answer('profiles:test', testAnswer)(args),
    'profiles:list': answer('profiles:list', [saved]),
    'app:info': answer('app:info', {
      version: '0',
      platform: 'linux',
      keychain: { available: true, message: null }
    })
  } as unknown as KeygateApi
}

beforeEach(() => {
  calls = []
  testAnswer = { ok: true, checks: [], latencyMs: 1, pendingCount: 0 }
  fakeBridge()
  useProfilesStore.setState({ profiles: [saved], info: null })
})
afterEach(cleanup)

const sent = (channel: string) => calls.filter((c) => c.channel === channel)

describe('ProfileEditor: the saved API key only goes where it was entered', () => {
  it('asks for the key again when the Dashboard URL changes, and neither saves nor tests without it', async () => {
    const user = userEvent.setup()
    render(<ProfileEditor profileId="p1" />)
    const url = screen.getByLabelText(/Dashboard URL/)
    await user.clear(url)
    await user.type(url, 'https://attacker.example.net')
    expect(screen.getByText(/Changing the Dashboard URL needs its API key again/)).toBeTruthy()

    await user.click(screen.getByRole('button', { name: 'Save' }))
    await user.click(screen.getByRole('button', { name: 'Test connection' }))
    expect(screen.getByRole('alert').textContent).toBe(
      'Changing the Dashboard URL needs its API key again'
    )
    expect(sent('profiles:update')).toEqual([])
    expect(sent('profiles:test')).toEqual([])

    await user.type(screen.getByLabelText('API key'), 'new-key-for-the-new-url')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(sent('profiles:update')[0]?.args).toMatchObject({
      id: 'p1',
      patch: { baseUrl: 'https://attacker.example.net', secret: 'new-key-for-the-new-url' }
    })
  })

  it('shows an untrusted certificate’s fingerprint and pins it once the admin confirms', async () => {
    const user = userEvent.setup()
    testAnswer = {
      ok: false,
      checks: [{ name: 'tls', ok: false, message: 'the certificate is self-signed' }],
      latencyMs: null,
      pendingCount: null,
      certificate: {
        sha256: fingerprint,
        subject: 'CN=dash',
        issuer: 'CN=dash',
        validTo: '2030-01-01T00:00:00.000Z',
        changedFrom: null
      }
    }
    render(<ProfileEditor profileId="p1" />)
    await user.click(screen.getByRole('button', { name: 'Test connection' }))
    expect((await screen.findByTestId('certificate-fingerprint')).textContent).toBe(fingerprint)

    await user.click(screen.getByRole('button', { name: /trust this certificate/ }))
    expect(screen.getByTestId('pinned-certificate').textContent).toContain(fingerprint)
    expect(
      screen.getByText(/Trusting a different certificate needs the API key again/)
    ).toBeTruthy()

    await user.type(screen.getByLabelText('API key'), 'the-key-again')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(sent('profiles:update')[0]?.args).toMatchObject({
      patch: { pinnedSha256: fingerprint, secret: 'the-key-again' }
    })
  })

  it('asks a profile saved with “allow self-signed” to confirm its certificate', () => {
    useProfilesStore.setState({ profiles: [{ ...saved, reconfirmCertificate: true }] })
    render(<ProfileEditor profileId="p1" />)
    expect(screen.getByTestId('reconfirm-certificate').textContent).toContain(
      'compare the certificate’s fingerprint'
    )
  })

  it('badges plain http:// as not encrypted and offers the per-profile opt-in', async () => {
    const user = userEvent.setup()
    render(<ProfileEditor profileId={null} />)
    expect(screen.queryByTestId('http-badge')).toBeNull()
    await user.type(screen.getByLabelText(/Dashboard URL/), 'http://dash.internal')
    expect(screen.getByTestId('http-badge').textContent).toBe('Not encrypted')
    await user.type(screen.getByLabelText('Name'), 'Internal')
    await user.type(screen.getByLabelText('API key'), 'k')
    await user.click(screen.getByLabelText(/Allow plain http:\/\/ to another host/))
    await user.click(screen.getByRole('button', { name: 'Add portal' }))
    expect(sent('profiles:create')[0]?.args).toMatchObject({ allowHttp: true })
  })
})
