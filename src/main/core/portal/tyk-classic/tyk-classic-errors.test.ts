import { describe, expect, it } from 'vitest'
import {
  clientFor,
  emulator,
  failureOf,
  logLines,
  pendingOfAuthType,
  readOnlySecret,
  secret
} from './tyk-classic-client.test-harness'

describe('error mapping', () => {
  it('401: AUTH_REJECTED for a wrong secret and for a Dashboard refusing every call', async () => {
    const wrong = await failureOf(clientFor({ secret: 'not-the-secret' }).listRequests('pending'))
    expect(wrong.error).toEqual({
      code: 'AUTH_REJECTED',
      message: 'API secret rejected (401): update the profile',
      retryable: false
    })
    emulator.control.setFaults({ authFail: true })
    expect((await failureOf(clientFor().getRequest('x'))).details.status).toBe(401)
  })

  it('403: FORBIDDEN for a read-only user, and nothing was approved or deleted', async () => {
    const client = clientFor({ secret: readOnlySecret })
    expect(await client.listRequests('pending')).toHaveLength(25)
    const [id] = emulator.control.requestIds({ approved: false })
    const approve = await failureOf(client.approve(id as string))
    expect(approve.error.code).toBe('FORBIDDEN')
    expect(approve.message).toBe(
      "The Dashboard user lacks the portal write permission (403): grant it in the Dashboard's user settings"
    )
    expect(approve.details).toEqual({ status: 403, outcomeUnknown: false, retryAfterMs: null })
    expect((await failureOf(client.decline(id as string))).error.code).toBe('FORBIDDEN')
    expect(emulator.control.getRequest(id as string)?.approved).toBe(false)
  })

  it('5xx: SERVER_ERROR, retryable; a 500, 502 or 504 on a write may have been applied, a 503 was not', async () => {
    emulator.control.setFaults({ errorRate: 1, errorStatus: 500 })
    const failure = await failureOf(clientFor().approve('5a0000000000000000000009'))
    expect(failure.error.code).toBe('SERVER_ERROR')
    expect(failure.error.retryable).toBe(true)
    expect(failure.message).toContain('Failed to marshal data.')
    expect(failure.details).toEqual({ status: 500, outcomeUnknown: true, retryAfterMs: null })
    expect((await failureOf(clientFor().listRequests('pending'))).details.outcomeUnknown).toBe(
      false
    )
    for (const status of [502, 504]) {
      emulator.control.setFaults({ errorStatus: status })
      expect((await failureOf(clientFor().decline('5a0000000000000000000009'))).details).toEqual({
        status,
        outcomeUnknown: true,
        retryAfterMs: null
      })
    }
    emulator.control.setFaults({ errorStatus: 503 })
    expect((await failureOf(clientFor().approve('5a0000000000000000000009'))).details).toEqual({
      status: 503,
      outcomeUnknown: false,
      retryAfterMs: null
    })
    expect((await failureOf(clientFor().listRequests('pending'))).details.status).toBe(503)
  })

  it('429: RATE_LIMITED, retryable, with Retry-After in ms', async () => {
    emulator.control.setFaults({ errorRate: 1, errorStatus: 429, retryAfterSec: 7 })
    const failure = await failureOf(clientFor().listRequests('pending'))
    expect(failure.error).toEqual({
      code: 'RATE_LIMITED',
      message: 'The Dashboard is rate limiting requests (429): retry in 7 s',
      retryable: true
    })
    expect(failure.details.retryAfterMs).toBe(7000)
  })

  it('timeout: TIMEOUT; the outcome of a write is unknown, of a read it is not', async () => {
    emulator.control.setFaults({ latencyMs: 1_000 })
    const client = clientFor({ timeoutMs: 200 })
    const read = await failureOf(client.listRequests('pending'))
    expect(read.error).toEqual({
      code: 'TIMEOUT',
      message: 'Portal unreachable (timed out after 0.2 s)',
      retryable: true
    })
    expect(read.details.outcomeUnknown).toBe(false)
    const [id] = emulator.control.requestIds({ approved: false })
    const write = await failureOf(client.approve(id as string))
    expect(write.error.code).toBe('TIMEOUT')
    expect(write.details.outcomeUnknown).toBe(true)
  })

  it('refused: OFFLINE naming the host, never an unknown outcome', async () => {
    emulator.control.setFaults({ offline: true })
    const [id] = emulator.control.requestIds({ approved: false })
    const failure = await failureOf(clientFor().approve(id as string))
    expect(failure.error).toEqual({
      code: 'OFFLINE',
      message: `Portal unreachable (connection refused by 127.0.0.1:${emulator.port})`,
      retryable: true
    })
    expect(failure.details).toEqual({ status: null, outcomeUnknown: false, retryAfterMs: null })
  })

  it('unresolvable host: OFFLINE, outcome known', async () => {
    const failure = await failureOf(
      clientFor({ url: 'http://keygate-test.invalid' }).approve('5a0000000000000000000009')
    )
    expect(failure.error.code).toBe('OFFLINE')
    expect(failure.message).toBe('Portal unreachable (cannot resolve keygate-test.invalid)')
    expect(failure.details.outcomeUnknown).toBe(false)
  })

  it('drop after commit: the approve landed but the answer was lost (outcomeUnknown)', async () => {
    const client = clientFor()
    const id = await pendingOfAuthType(client, 'authToken')
    emulator.control.setFaults({ dropAfterCommitRate: 1 })
    const failure = await failureOf(client.approve(id))
    expect(failure.error.code).toBe('OFFLINE')
    expect(failure.message).toBe(`Portal connection dropped (reset by 127.0.0.1:${emulator.port})`)
    expect(failure.details.outcomeUnknown).toBe(true)
    expect(emulator.control.stats().approvals[id]).toBe(1)
  })

  it('drop: a reset write is outcomeUnknown (the client cannot tell), a reset read is not', async () => {
    const [id] = emulator.control.requestIds({ approved: false })
    emulator.control.setFaults({ dropRate: 1 })
    const client = clientFor()
    expect((await failureOf(client.decline(id as string))).details.outcomeUnknown).toBe(true)
    const read = await failureOf(client.getRequest(id as string))
    expect(read.error.code).toBe('OFFLINE')
    expect(read.details.outcomeUnknown).toBe(false)
  })

  it('rejects an invalid Dashboard URL as VALIDATION', async () => {
    const client = clientFor({ url: 'ftp://dashboard.example.com' })
    const failure = await failureOf(client.listRequests('pending'))
    expect(failure.error.code).toBe('VALIDATION')
    expect((await failureOf(client.approve('x'))).details.outcomeUnknown).toBe(false)
  })

  it('never puts the secret or an issued key into an error message or a log line', async () => {
    logLines.length = 0
    const messages: string[] = []
    const client = clientFor()
    const id = await pendingOfAuthType(client, 'basic')
    const credential = await client.approve(id)
    const issued = credential.kind === 'basic' ? [credential.username, credential.password] : []
    emulator.control.setFaults({ errorRate: 1, errorStatus: 500 })
    messages.push((await failureOf(client.approve(id))).message)
    emulator.control.setFaults({ errorRate: 0, authFail: true })
    messages.push((await failureOf(client.listRequests('pending'))).message)
    emulator.control.setFaults({ authFail: false, dropAfterCommitRate: 1 })
    messages.push((await failureOf(client.decline(id))).message)
    const text = [...messages, ...logLines].join('\n')
    expect(logLines.length).toBeGreaterThan(0)
    expect(issued).toHaveLength(2)
    for (const needle of [secret, ...issued]) expect(text).not.toContain(needle)
  })
})
