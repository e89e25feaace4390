import { z } from 'zod'
import { mapBounded } from '../../../../shared/bounded-pool'
import type { Logger } from '../../ports'
import { describeIssue, type DashboardHttp } from './dashboard-http'
import { PortalCallFailure } from '../portal-client'
import { listEnvelopeSchema } from './schemas'

/**
 * Most pages one list may span: 50,000 requests at the Dashboard's default page size of 10, far
 * past any real backlog. A larger `Pages` is a broken answer, and trusting it means a million
 * calls or an out-of-memory crash.
 */
export const MAX_PAGES = 5_000

/** How this Dashboard treats `p=-1`: not known yet, honoured (all items), or ignored/refused. */
export type PagingMode = 'unknown' | 'all' | 'paged'

/** One entry of a list: read, or quarantined with the Dashboard's JSON and what was wrong. */
export type ListEntry<T> = { value: T } | { unreadable: { raw: unknown; problem: string } }

/** The values of the readable entries. */
export const readable = <T>(entries: ListEntry<T>[]): T[] =>
  entries.flatMap((entry) => ('value' in entry ? [entry.value] : []))

export interface PagedLister {
  /**
   * Every entry of a `{Data, Pages}` list, de-duplicated by id, in the Dashboard's order. Each
   * entry is checked on its own: one the item schema rejects is quarantined, not the whole list.
   */
  listAll<T extends z.ZodType>(
    path: string,
    query: Record<string, string>,
    item: T,
    idOf: (item: z.output<T>) => string
  ): Promise<ListEntry<z.output<T>>[]>
}

/** One list entry checked against the item schema on its own. */
export function toListEntry<T extends z.ZodType>(item: T, raw: unknown): ListEntry<z.output<T>> {
  const parsed = item.safeParse(raw)
  if (parsed.success) return { value: parsed.data as z.output<T> }
  return { unreadable: { raw, problem: describeIssue(parsed.error, 'the entry') } }
}

const pageSchema = listEnvelopeSchema(z.unknown())

/** The id a quarantined entry carries, if any, so duplicates of it collapse too. */
const rawId = (raw: unknown): string | null => {
  if (typeof raw !== 'object' || raw === null) return null
  const { id, _id: underscored } = raw as { id?: unknown; _id?: unknown }
  if (typeof id === 'string' && id) return id
  return typeof underscored === 'string' && underscored ? underscored : null
}

/**
 * Lists across pages. It asks for everything with `p=-1` (docs/architecture.md#tyk-classic:
 * `p=0` means "all" on
 * some Dashboards and "page 1" on others, while negative `p` is documented as "all" everywhere).
 * A Dashboard that ignores `p=-1` is detected once: when `Pages > 1`, page 2 is probed, and if
 * its items are not already in the `p=-1` answer, that answer was only page 1. A Dashboard that
 * refuses `p=-1` (400), or whose `p=-1` answer passes the size limit, is read page by page too.
 * The mode is remembered for later calls.
 */
export function createPagedLister(
  http: DashboardHttp,
  logger?: Logger,
  concurrency = 4
): PagedLister {
  let mode: PagingMode = 'unknown'

  const remember = (next: PagingMode, path: string, why: string) => {
    if (mode !== next) logger?.info('portal paging mode detected', { mode: next, path, why })
    mode = next
  }

  const listAll = async <T extends z.ZodType>(
    path: string,
    query: Record<string, string>,
    item: T,
    idOf: (item: z.output<T>) => string
  ): Promise<ListEntry<z.output<T>>[]> => {
    type Entry = ListEntry<z.output<T>>
    const toEntry = (raw: unknown): Entry => toListEntry(item, raw)
    const page = async (p: number) => {
      const envelope = await http.send({
        method: 'GET',
        path,
        query: { ...query, p },
        schema: pageSchema
      })
      const pages = envelope.Pages ?? 0
      if (!Number.isInteger(pages) || pages < 0 || pages > MAX_PAGES) {
        throw new PortalCallFailure(
          'INVALID_RESPONSE',
          `The Dashboard answered GET ${path} with Pages: ${pages}; Keygate reads at most ${MAX_PAGES.toLocaleString('en-US')} pages of a list`,
          false,
          { status: null, outcomeUnknown: false, retryAfterMs: null }
        )
      }
      return { items: (envelope.Data ?? []).map(toEntry), pages }
    }
    const idOfEntry = (entry: Entry): string | null =>
      'value' in entry ? idOf(entry.value) : rawId(entry.unreadable.raw)
    const unique = (lists: Entry[][]): Entry[] => {
      const seen = new Set<string>()
      const out: Entry[] = []
      for (const entry of lists.flat()) {
        const id = idOfEntry(entry) || null
        if (id !== null && seen.has(id)) continue
        if (id !== null) seen.add(id)
        out.push(entry)
      }
      return out
    }

    const readPages = async (prefetched: Map<number, Entry[]>) => {
      const first = await page(1)
      const numbers = Array.from({ length: Math.max(0, first.pages - 1) }, (_, i) => i + 2)
      const rest = await mapBounded(numbers, concurrency, async (p) => {
        const cached = prefetched.get(p)
        return cached ?? (await page(p)).items
      })
      return unique([first.items, ...rest])
    }

    if (mode === 'paged') return readPages(new Map())

    let all: { items: Entry[]; pages: number }
    try {
      all = await page(-1)
    } catch (error) {
      if (error instanceof PortalCallFailure && error.error.code === 'BAD_REQUEST') {
        remember('paged', path, 'p=-1 refused')
        return readPages(new Map())
      }
      // A backlog of thousands can pass the size limit as one answer; its pages do not.
      if (error instanceof PortalCallFailure && error.details.tooLarge) {
        remember('paged', path, 'p=-1 answer over the size limit')
        return readPages(new Map())
      }
      throw error
    }
    if (mode === 'all' || all.pages <= 1) return unique([all.items])

    const probe = await page(2)
    // An empty page 2 proves nothing either way (items may have just gone): use what we have.
    if (probe.items.length === 0) return unique([all.items])
    const seen = new Set(all.items.map(idOfEntry))
    if (probe.items.every((entry) => seen.has(idOfEntry(entry)))) {
      remember('all', path, 'page 2 already contained in p=-1')
      return unique([all.items])
    }
    remember('paged', path, 'p=-1 answered one page only')
    return readPages(new Map([[2, probe.items]]))
  }

  return { listAll }
}
