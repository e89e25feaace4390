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

/**
 * A request waiting over 24 h is amber, over 72 h red, over two weeks solid red: in a long
 * backlog the worst still stand out from the merely late.
 */
export function ageLevel(ms: number, now: number): AgeLevel {
  const elapsed = now - ms
  if (elapsed > 14 * DAY) return 'long-overdue'
  if (elapsed > 3 * DAY) return 'overdue'
  if (elapsed > DAY) return 'waiting'
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
