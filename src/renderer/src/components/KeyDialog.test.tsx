// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { IssuedCredential, KeyNotice } from '../../../shared/domain'
import { installFakeKeygate, type FakeKeygate } from '../lib/testing/fake-keygate'
import { useKeysStore } from '../store/keys-store'
import { KeyDialog } from './KeyDialog'

const notice: KeyNotice = {
  id: 'key-1',
  profileId: 'prod',
  requestId: 'r1',
  developerEmail: 'dev@example.com',
  catalogueName: 'Payments API',
  issuedAt: '2026-03-12T13:00:00.000Z',
  status: 'ready'
}

let keygate: FakeKeygate

function serve(credential: IssuedCredential | null): void {
  keygate = installFakeKeygate({
    'keys:reveal': async () =>
      credential
        ? { ok: true, value: credential }
        : {
            ok: false,
            error: {
              code: 'NOT_FOUND',
              message: 'This credential was dismissed.',
              retryable: false
            }
          },
    'keys:copy': async () => ({ ok: true, value: { clearAfterSec: 45 } }),
    'keys:dismiss': async () => ({ ok: true, value: null })
  })
}

const called = (channel: string) => keygate.calls.filter((call) => call.channel === channel)

async function openDialog() {
  act(() => useKeysStore.getState().open(notice.id))
  const dialog = await screen.findByRole('dialog', { name: 'Key issued' })
  await screen.findAllByTestId('credential-value')
  return dialog
}

beforeEach(() => {
  useKeysStore.setState({ notices: [notice], openKeyId: null, dismissed: new Set() })
  serve({ kind: 'key', rawKey: 'raw-key-0a1b2c' })
})
afterEach(cleanup)

describe('KeyDialog', () => {
  it('opens with focus on Copy, so Enter copies (through main, by handle) instead of closing', async () => {
    const user = userEvent.setup()
    render(<KeyDialog />)
    await openDialog()
    const copy = screen.getByRole('button', { name: 'Copy API key' })
    await waitFor(() => expect(document.activeElement).toBe(copy))

    await user.keyboard('{Enter}')
    await screen.findByText(/clears the clipboard in 45 s/)
    expect(called('keys:copy').map((call) => call.args)).toEqual([
      { keyId: notice.id, field: 'rawKey' }
    ])
    expect(screen.getByRole('dialog', { name: 'Key issued' })).toBeTruthy()
    expect(called('keys:dismiss')).toEqual([])
  })

  it('routes a keyboard copy of the shown value through main too', async () => {
    render(<KeyDialog />)
    await openDialog()
    const value = screen.getByTestId('credential-value')
    // fireEvent answers false when a listener prevented the browser's own copy.
    expect(fireEvent.copy(value)).toBe(false)
    await waitFor(() =>
      expect(called('keys:copy').map((call) => call.args)).toEqual([
        { keyId: notice.id, field: 'rawKey' }
      ])
    )
  })

  it('asks before Escape loses a key that was never copied; "Keep it open" keeps it', async () => {
    const user = userEvent.setup()
    render(<KeyDialog />)
    await openDialog()

    await user.keyboard('{Escape}')
    const confirm = screen.getByRole('dialog', { name: 'Close without copying?' })
    expect(confirm.textContent).toContain('You have not copied this key. Close and lose it?')
    // The safe answer has focus: a second Enter does not lose the key either.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep it open' }))
    await user.keyboard('{Enter}')
    expect(screen.queryByRole('dialog', { name: 'Close without copying?' })).toBeNull()
    expect(screen.getByRole('dialog', { name: 'Key issued' })).toBeTruthy()

    // Escape in the question backs out of it, not out of the key dialog.
    await user.keyboard('{Escape}')
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog', { name: 'Close without copying?' })).toBeNull()
    expect(screen.getByRole('dialog', { name: 'Key issued' })).toBeTruthy()
    expect(called('keys:dismiss')).toEqual([])
    expect(useKeysStore.getState().openKeyId).toBe(notice.id)
  })

  it('asks before the close buttons lose it too, and "Close and lose it" drops it in main', async () => {
    const user = userEvent.setup()
    render(<KeyDialog />)
    await openDialog()

    await user.click(screen.getByRole('button', { name: 'Close' }))
    await user.click(screen.getByRole('button', { name: 'Keep it open' }))
    await user.click(screen.getByRole('button', { name: 'I have copied it, close' }))
    await user.click(screen.getByRole('button', { name: 'Close and lose it' }))

    expect(screen.queryByRole('dialog')).toBeNull()
    await waitFor(() =>
      expect(called('keys:dismiss').map((call) => call.args)).toEqual([{ keyId: notice.id }])
    )
    expect(useKeysStore.getState().openKeyId).toBeNull()
  })

  it('closes at once once the key was copied', async () => {
    const user = userEvent.setup()
    render(<KeyDialog />)
    await openDialog()
    await user.click(screen.getByRole('button', { name: 'Copy API key' }))
    await screen.findByText(/clears the clipboard in 45 s/)

    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
    await waitFor(() => expect(called('keys:dismiss')).toHaveLength(1))
  })

  it('asks while only the username of a basic credential was copied, not the password', async () => {
    serve({ kind: 'basic', username: 'dev-user', password: 'basic-pass-91' })
    const user = userEvent.setup()
    render(<KeyDialog />)
    await openDialog()
    await user.click(screen.getByRole('button', { name: 'Copy Username' }))
    await screen.findByText(/clears the clipboard/)
    await user.keyboard('{Escape}')
    expect(screen.getByRole('dialog', { name: 'Close without copying?' })).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Keep it open' }))

    await user.click(screen.getByRole('button', { name: 'Copy Password' }))
    await waitFor(() => expect(called('keys:copy')).toHaveLength(2))
    expect(called('keys:copy').map((call) => call.args)).toEqual([
      { keyId: notice.id, field: 'username' },
      { keyId: notice.id, field: 'password' }
    ])
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('does not count a copy main could not make: the button says so, and closing still asks', async () => {
    keygate = installFakeKeygate({
      'keys:reveal': async () => ({ ok: true, value: { kind: 'key', rawKey: 'raw-key-0a1b2c' } }),
      'keys:copy': async () => ({
        ok: false,
        error: {
          code: 'INTERNAL',
          message:
            'Could not copy to the clipboard (another application may be holding it): try Copy again.',
          retryable: true
        }
      })
    })
    const user = userEvent.setup()
    render(<KeyDialog />)
    await openDialog()
    await user.click(screen.getByRole('button', { name: 'Copy API key' }))
    expect((await screen.findByText('Copy failed')).tagName).toBe('BUTTON')
    expect(screen.queryByText(/clears the clipboard/)).toBeNull()
    await user.keyboard('{Escape}')
    expect(screen.getByRole('dialog', { name: 'Close without copying?' })).toBeTruthy()
  })

  it('closes without asking when there is no key left to lose', async () => {
    serve(null)
    const user = userEvent.setup()
    render(<KeyDialog />)
    act(() => useKeysStore.getState().open(notice.id))
    await screen.findByText('This credential was dismissed.')
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
  })
})
