import { describe, expect, it } from 'vitest'
import { ageLevel, clockTime, parseTime, relativeTime } from './format'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

describe('time formatting', () => {
  const now = new Date(2026, 2, 12, 16, 0).getTime()

  it('says how long ago in the largest whole unit', () => {
    expect(relativeTime(now - 30_000, now)).toBe('just now')
    expect(relativeTime(now - 12 * MINUTE, now)).toBe('12 min ago')
    expect(relativeTime(now - 3 * HOUR - 5 * MINUTE, now)).toBe('3 h ago')
    expect(relativeTime(now - 50 * HOUR, now)).toBe('2 d ago')
  })

  it("follows the profile's SLA: amber after its warning, red after its breach, solid after four breaches", () => {
    const sla = { warnHours: 4, breachHours: 8 }
    expect(ageLevel(now - 4 * HOUR, now, sla)).toBe('fresh')
    expect(ageLevel(now - 4 * HOUR - MINUTE, now, sla)).toBe('waiting')
    expect(ageLevel(now - 8 * HOUR - MINUTE, now, sla)).toBe('overdue')
    expect(ageLevel(now - 20 * 24 * HOUR, now, sla)).toBe('long-overdue')
    const slow = { warnHours: 24 * 7, breachHours: 24 * 30 }
    expect(ageLevel(now - 10 * 24 * HOUR, now, slow)).toBe('waiting')
    expect(ageLevel(now - 100 * 24 * HOUR, now, slow)).toBe('overdue')
    expect(ageLevel(now - 121 * 24 * HOUR, now, slow)).toBe('long-overdue')
  })

  it('turns amber after 24 h and red after 72 h', () => {
    expect(ageLevel(now - 24 * HOUR, now)).toBe('fresh')
    expect(ageLevel(now - 24 * HOUR - MINUTE, now)).toBe('waiting')
    expect(ageLevel(now - 72 * HOUR - MINUTE, now)).toBe('overdue')
    expect(ageLevel(now - 14 * 24 * HOUR, now)).toBe('overdue')
    expect(ageLevel(now - 14 * 24 * HOUR - MINUTE, now)).toBe('long-overdue')
  })

  it('shows a bare clock time today and adds the day otherwise', () => {
    expect(clockTime(new Date(2026, 2, 12, 14, 2).toISOString(), now)).toBe('14:02')
    expect(clockTime(new Date(2026, 2, 10, 9, 5).toISOString(), now)).toMatch(/10.*09:05/)
    expect(clockTime(null, now)).toBe('unknown time')
  })

  it('treats missing and malformed dates as unknown', () => {
    expect(parseTime(null)).toBeNull()
    expect(parseTime('not a date')).toBeNull()
    expect(parseTime('2026-03-12T14:02:00Z')).toBe(Date.UTC(2026, 2, 12, 14, 2))
  })
})
