import { DEFAULT_SLA } from '../../../shared/domain'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const clockFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23'
})
const dayClockFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23'
})
const fullFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23'
})

/** Milliseconds since the epoch, or null for a missing or unparseable date. */
export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? null : ms
}

/** "just now", "12 min ago", "3 h ago", "4 d ago". */
export function relativeTime(ms: number, now: number): string {
  const elapsed = Math.max(0, now - ms)
  if (elapsed < MINUTE) return 'just now'
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`
  return `${Math.floor(elapsed / DAY)} d ago`
}

export type AgeLevel = 'fresh' | 'waiting' | 'overdue' | 'long-overdue'

export interface Sla {
  warnHours: number
  breachHours: number
}

/**
 * A request waiting past its portal's warning is amber, past its breach red, and past four
 * breaches (two weeks at least) solid red: in a long backlog the worst still stand out from the
 * merely late. 24 h and 72 h unless the profile says otherwise.
 */
export function ageLevel(ms: number, now: number, sla: Sla = DEFAULT_SLA): AgeLevel {
  const elapsed = now - ms
  const breach = sla.breachHours * HOUR
  if (elapsed > Math.max(14 * DAY, 4 * breach)) return 'long-overdue'
  if (elapsed > breach) return 'overdue'
  if (elapsed > sla.warnHours * HOUR) return 'waiting'
  return 'fresh'
}

/** "14:02" today, "12 Mar, 14:02" on another day. */
export function clockTime(iso: string | null, now: number = Date.now()): string {
  const ms = parseTime(iso)
  if (ms === null) return 'unknown time'
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString()
  return (sameDay ? clockFormat : dayClockFormat).format(ms)
}

/** A full local date and time for detail views and tooltips. */
export function fullDate(iso: string | null): string {
  const ms = parseTime(iso)
  return ms === null ? 'unknown' : fullFormat.format(ms)
}
