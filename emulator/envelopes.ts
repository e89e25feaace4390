import type { EmulatorSwitches } from './types'

/**
 * What an /api handler answers: a status and a JSON body (null sends no body). A list is a
 * sequence of byte pieces written in turn, so no single string has to hold a 100 MB answer.
 */
export interface ApiAnswer {
  status: number
  body: string | Buffer | Buffer[] | null
}

type EnvelopeSwitches = Pick<EmulatorSwitches, 'meta'>

/** `{"Status","Message","Meta"}`, the envelope of writes and of every error (README, Errors). */
export function statusEnvelope(
  status: 'OK' | 'Error',
  message: string,
  switches: EnvelopeSwitches
): string {
  const meta = switches.meta === 'null' ? null : ''
  return JSON.stringify({ Status: status, Message: message, Meta: meta })
}

export function ok(message: string, switches: EnvelopeSwitches): ApiAnswer {
  return { status: 200, body: statusEnvelope('OK', message, switches) }
}

export function fail(status: number, message: string, switches: EnvelopeSwitches): ApiAnswer {
  return { status, body: statusEnvelope('Error', message, switches) }
}

export const messages = {
  notAuthorised: 'Not authorised',
  alreadyProcessed: 'Key request has already been processed.',
  noPolicy: 'No policy found!',
  notFound: 'Could not retrieve portal object.',
  deleteNotFound: 'Could not retrieve object for deletion',
  malformed: 'Request body malformed.',
  deleted: 'Data deleted',
  updated: 'Data updated',
  badPage: 'Invalid page number.',
  accessDenied: (path: string) => `access denied: You do not have permission to access  ${path}`
} as const

export type PageRequest = { kind: 'all' } | { kind: 'page'; page: number } | { kind: 'invalid' }

/**
 * Reads `p` like the Dashboard (README, Paging): >=1 is a 1-based page, <0 is everything, 0 and
 * absent follow the pZero switch (so does an empty `p=`); a non-integer is 0 (Go's ignored Atoi
 * error) unless strictPageParam.
 */
export function parsePage(
  raw: string | null,
  switches: Pick<EmulatorSwitches, 'pZero' | 'strictPageParam'>
): PageRequest {
  let p = 0
  if (raw !== null && raw !== '') {
    if (/^[+-]?\d+$/.test(raw)) p = Number.parseInt(raw, 10)
    else if (switches.strictPageParam) return { kind: 'invalid' }
  }
  if (p < 0) return { kind: 'all' }
  if (p === 0) return switches.pZero === 'all' ? { kind: 'all' } : { kind: 'page', page: 1 }
  return { kind: 'page', page: p }
}

export interface PagePlan {
  start: number
  end: number
  pages: number
}

/** Which slice of `total` items a page request covers, and the `Pages` to report. */
export function planPage(
  request: { kind: 'all' } | { kind: 'page'; page: number },
  total: number,
  switches: Pick<EmulatorSwitches, 'pageSize' | 'pagesWhenAll'>
): PagePlan {
  const pages = Math.ceil(total / switches.pageSize)
  if (request.kind === 'all') {
    return { start: 0, end: total, pages: switches.pagesWhenAll === 'zero' ? 0 : pages }
  }
  const start = (request.page - 1) * switches.pageSize
  return { start, end: Math.min(total, start + switches.pageSize), pages }
}

const pieceBytes = 1 << 20
const comma = Buffer.from(',')

/** `{"Data":[...],"Pages":N}` from already rendered items, as pieces of about 1 MB. */
export function listEnvelope(
  items: Buffer[],
  pages: number,
  switches: Pick<EmulatorSwitches, 'emptyData'>
): Buffer[] {
  if (items.length === 0) {
    const data = switches.emptyData === 'null' ? 'null' : '[]'
    return [Buffer.from(`{"Data":${data},"Pages":${pages}}`)]
  }
  const pieces: Buffer[] = []
  let group: Buffer[] = [Buffer.from('{"Data":[')]
  let size = 0
  items.forEach((item, index) => {
    if (index > 0) group.push(comma)
    group.push(item)
    size += item.length + 1
    if (size >= pieceBytes) {
      pieces.push(Buffer.concat(group))
      group = []
      size = 0
    }
  })
  group.push(Buffer.from(`],"Pages":${pages}}`))
  pieces.push(Buffer.concat(group))
  return pieces
}
