import { describe, expect, it } from 'vitest'
import { AppFailure } from '../../../shared/result'
import type { KeyNotice } from '../../../shared/domain'
import { createRedactor } from '../logging/redactor'
import { FakeClock } from '../testing/fake-clock'
import { createKeyVault, UNREVEALED_TTL_MS } from './key-vault'

const label = (profileId: string, requestId: string) => ({
  profileId,
  requestId,
  developerEmail: 'dev@example.com',
  catalogueName: 'Payments API'
})

describe('key vault', () => {
  it('hands out notices without the credential, reveals it until dismissed, then never again', () => {
    const vault = createKeyVault({ redactor: createRedactor() })
    const notice = vault.add(label('p1', 'r1'), { kind: 'key', rawKey: 'raw-key-0a1b2c3d' })
    expect(notice).toMatchObject(label('p1', 'r1'))
    expect(JSON.stringify(vault.list())).not.toContain('raw-key-0a1b2c3d')
    expect(vault.list()).toEqual([notice])

    expect(vault.reveal(notice.id)).toEqual({ kind: 'key', rawKey: 'raw-key-0a1b2c3d' })
    expect(vault.reveal(notice.id)).toEqual({ kind: 'key', rawKey: 'raw-key-0a1b2c3d' })
    expect(vault.dismiss(notice.id)).toBe(true)
    expect(vault.dismiss(notice.id)).toBe(false)
    expect(vault.list()).toEqual([])
    expect(() => vault.reveal(notice.id)).toThrow(AppFailure)
    expect(() => vault.reveal(notice.id)).toThrow(/shows an issued key only once/)
  })

  it('finds the credential an outbox action brought back, until it is dismissed', () => {
    const vault = createKeyVault({ redactor: createRedactor() })
    vault.add(label('p1', 'r0'), { kind: 'key', rawKey: 'raw-key-unlinked' })
    const notice = vault.add(label('p1', 'r1'), { kind: 'key', rawKey: 'raw-key-5e6f' }, 'op-1')
    expect(vault.keyIdFor('op-1')).toBe(notice.id)
    expect(vault.keyIdFor('op-2')).toBeNull()
    expect(vault.list().map((n) => n.requestId)).toEqual(['r0', 'r1'])
    expect(JSON.stringify(vault.list())).not.toContain('op-1')
    vault.dismiss(notice.id)
    expect(vault.keyIdFor('op-1')).toBeNull()
  })

  it('registers every secret part of a credential with the redactor', () => {
    const redactor = createRedactor()
    const vault = createKeyVault({ redactor })
    vault.add(label('p1', 'r1'), { kind: 'basic', username: 'dev', password: 'basic-pass-91' })
    vault.add(label('p1', 'r2'), {
      kind: 'oauth',
      clientId: 'client-id-5521',
      secret: 'client-secret-8876',
      policyId: null,
      redirectUri: null
    })
    expect(redactor.scrub('basic-pass-91 client-id-5521 client-secret-8876')).toBe(
      '[redacted] [redacted] [redacted]'
    )
  })

  it('forgets the credentials of a deleted profile only', () => {
    const vault = createKeyVault({ redactor: createRedactor() })
    vault.add(label('p1', 'r1'), { kind: 'key', rawKey: 'key-one-1111' })
    const other = vault.add(label('p2', 'r2'), { kind: 'key', rawKey: 'key-two-2222' })
    expect(vault.forgetProfile('p1')).toBe(true)
    expect(vault.forgetProfile('p1')).toBe(false)
    expect(vault.list()).toEqual([other])
  })

  it('drops a credential not revealed within 10 minutes, keeping a notice that says so', async () => {
    const clock = new FakeClock()
    const expired: KeyNotice[] = []
    const vault = createKeyVault({
      redactor: createRedactor(),
      clock,
      onExpired: (notice) => expired.push(notice)
    })
    const notice = vault.add(label('p1', 'r1'), { kind: 'key', rawKey: 'raw-key-late' }, 'op-1')
    expect(notice.status).toBe('ready')
    await clock.advance(UNREVEALED_TTL_MS - 1)
    expect(expired).toEqual([])
    await clock.advance(1)
    expect(UNREVEALED_TTL_MS).toBe(600_000)
    expect(expired).toEqual([{ ...notice, status: 'expired' }])
    expect(vault.list()).toEqual([{ ...notice, status: 'expired' }])
    expect(() => vault.reveal(notice.id)).toThrow(/not revealed within 10 minutes/)
    expect(vault.keyIdFor('op-1')).toBeNull()
    // The notice goes when the admin has read it.
    expect(vault.dismiss(notice.id)).toBe(true)
    expect(vault.list()).toEqual([])
  })

  it('keeps a revealed credential past 10 minutes until it is dismissed, with no timer left', async () => {
    const clock = new FakeClock()
    const vault = createKeyVault({ redactor: createRedactor(), clock, onExpired: () => {} })
    const revealed = vault.add(label('p1', 'r1'), { kind: 'key', rawKey: 'raw-key-seen' })
    const dismissed = vault.add(label('p1', 'r2'), { kind: 'key', rawKey: 'raw-key-gone' })
    const forgotten = vault.add(label('p2', 'r3'), { kind: 'key', rawKey: 'raw-key-p2' })
    vault.reveal(revealed.id)
    vault.dismiss(dismissed.id)
    vault.forgetProfile('p2')
    expect(clock.pending()).toBe(0)
    await clock.advance(UNREVEALED_TTL_MS * 2)
    expect(vault.list()).toEqual([revealed])
    expect(vault.reveal(revealed.id)).toEqual({ kind: 'key', rawKey: 'raw-key-seen' })
    expect(() => vault.reveal(forgotten.id)).toThrow(AppFailure)
  })
})
