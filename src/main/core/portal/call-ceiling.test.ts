import { describe, expect, it } from 'vitest'
import type { HttpRequest, HttpTransport } from '../ports'
import { FakeClock, settle } from '../testing/fake-clock'
import { limitCalls } from './call-ceiling'

const request: HttpRequest = {
  method: 'PUT',
  url: 'http://127.0.0.1:1/api/portal/requests/approve/r1',
  headers: {},
  timeoutMs: 10_000
}

function countingTransport(): { transport: HttpTransport; calls: () => number } {
  let calls = 0
  const transport: HttpTransport = async () => {
    calls += 1
    return { status: 503, headers: {}, body: '{}' }
  }
  return { transport, calls: () => calls }
}

describe('limitCalls: the per-Dashboard call ceiling', () => {
  it('lets a burst through, then at most perSecond calls for each second that passes, in order', async () => {
    const clock = new FakeClock()
    const inner = countingTransport()
    const limited = limitCalls(inner.transport, clock, { perSecond: 10, burst: 20 })
    const answered: number[] = []
    const all = Array.from({ length: 200 }, (_, n) => limited(request).then(() => answered.push(n)))

    await settle()
    expect(inner.calls()).toBe(20)
    await clock.advance(1_000)
    expect(inner.calls()).toBe(30)
    await clock.advance(5_000)
    expect(inner.calls()).toBe(80)
    await clock.advance(60_000)
    await Promise.all(all)
    expect(inner.calls()).toBe(200)
    expect(answered).toEqual([...answered].sort((a, b) => a - b))
  })

  it('refills only up to the burst after a quiet spell', async () => {
    const clock = new FakeClock()
    const inner = countingTransport()
    const limited = limitCalls(inner.transport, clock, { perSecond: 10, burst: 5 })
    await clock.advance(3_600_000)
    void Promise.all(Array.from({ length: 50 }, () => limited(request)))
    await settle()
    expect(inner.calls()).toBe(5)
  })
})
