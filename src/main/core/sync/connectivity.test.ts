import { describe, expect, it } from 'vitest'
import type { Connectivity } from '../../../shared/domain'
import type { AppError, ErrorCode } from '../../../shared/result'
import { ConnectivityTracker, connectivityStateFor } from './connectivity'
import { FakeClock } from '../testing/fake-clock'

const failure = (code: ErrorCode, message = `${code} happened`): AppError => ({
  code,
  message,
  retryable: true
})

function tracker() {
  const clock = new FakeClock()
  const changes: { profileId: string; current: Connectivity; previous: Connectivity }[] = []
  const t = new ConnectivityTracker(clock, (profileId, current, previous) =>
    changes.push({ profileId, current, previous })
  )
  return { clock, t, changes }
}

describe('ConnectivityTracker', () => {
  it('starts unknown and goes online on the first success', () => {
    const { clock, t, changes } = tracker()
    expect(t.get('p1').state).toBe('unknown')
    t.record('p1', null)
    const at = new Date(clock.now()).toISOString()
    expect(t.get('p1')).toEqual({ state: 'online', since: at, lastSuccessAt: at, lastError: null })
    expect(changes).toHaveLength(1)
    expect(changes[0]!.previous.state).toBe('unknown')
  })

  it('maps outcomes to the states the UI shows', () => {
    expect(connectivityStateFor(failure('OFFLINE'))).toBe('offline')
    expect(connectivityStateFor(failure('TIMEOUT'))).toBe('offline')
    expect(connectivityStateFor(failure('AUTH_REJECTED'))).toBe('auth-problem')
    expect(connectivityStateFor(failure('FORBIDDEN'))).toBe('auth-problem')
    expect(connectivityStateFor(failure('SERVER_ERROR'))).toBe('degraded')
    expect(connectivityStateFor(failure('RATE_LIMITED'))).toBe('degraded')
    expect(connectivityStateFor(failure('INVALID_RESPONSE'))).toBe('degraded')
    expect(connectivityStateFor(failure('NOT_FOUND'))).toBe('online')
    expect(connectivityStateFor(failure('VALIDATION'))).toBeNull()
    expect(connectivityStateFor(failure('KEYCHAIN_UNAVAILABLE'))).toBeNull()
  })

  it('keeps since and lastSuccessAt across transitions and reports each change once', async () => {
    const { clock, t, changes } = tracker()
    t.record('p1', null)
    const onlineAt = new Date(clock.now()).toISOString()
    await clock.advance(60_000)
    t.record('p1', failure('OFFLINE', 'Portal unreachable (connection refused)'))
    const offlineAt = new Date(clock.now()).toISOString()
    expect(t.get('p1')).toMatchObject({
      state: 'offline',
      since: offlineAt,
      lastSuccessAt: onlineAt,
      lastError: { code: 'OFFLINE' }
    })
    await clock.advance(60_000)
    t.record('p1', failure('OFFLINE', 'Portal unreachable (connection refused)'))
    expect(changes).toHaveLength(2)
    t.record('p1', failure('TIMEOUT', 'Portal unreachable (timed out after 10 s)'))
    expect(changes).toHaveLength(3)
    expect(t.get('p1')).toMatchObject({ state: 'offline', since: offlineAt })
    t.record('p1', failure('AUTH_REJECTED'))
    expect(t.get('p1').state).toBe('auth-problem')
    t.record('p1', failure('SERVER_ERROR'))
    expect(t.get('p1').state).toBe('degraded')
    await clock.advance(1000)
    t.record('p1', null)
    const backAt = new Date(clock.now()).toISOString()
    expect(t.get('p1')).toEqual({
      state: 'online',
      since: backAt,
      lastSuccessAt: backAt,
      lastError: null
    })
    expect(changes.map((c) => c.current.state)).toEqual([
      'online',
      'offline',
      'offline',
      'auth-problem',
      'degraded',
      'online'
    ])
  })

  it('treats a repeated success as no change and a local error as no signal', () => {
    const { t, changes } = tracker()
    t.record('p1', null)
    t.record('p1', null)
    t.record('p1', failure('VALIDATION'))
    t.record('p1', failure('NOT_FOUND'))
    expect(changes).toHaveLength(1)
    expect(t.get('p1').state).toBe('online')
  })

  it('tracks profiles independently and forgets removed ones', () => {
    const { t } = tracker()
    t.record('p1', failure('OFFLINE'))
    t.record('p2', null)
    expect(t.get('p1').state).toBe('offline')
    expect(t.get('p2').state).toBe('online')
    t.forget('p1')
    expect(t.get('p1').state).toBe('unknown')
  })
})
