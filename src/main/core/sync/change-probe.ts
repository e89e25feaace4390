import type { KeyRequest } from '../../../shared/domain'
import type { RequestPage } from '../portal/portal-client'

/**
 * What page 1 of the pending list says about the cached full read: nothing changed, only new
 * requests were added on top (page 1 carries them in full), or something else changed and only
 * a full read can tell what.
 */
export type ProbeFinding =
  { kind: 'unchanged' } | { kind: 'added'; items: KeyRequest[] } | { kind: 'changed' }

/**
 * Compares page 1 with the cached list (newest first). Unchanged: page 1 holds the cache's
 * newest ids and `Pages` fits the cached count. Added: page 1 is k ids the cache does not hold
 * (0 < k < page length), then the cache's newest ids, and `Pages` fits the cached count + k.
 * Ids are compared as a set wherever cached ones are, since requests created in the same
 * instant may be listed in either order; anything else is a change.
 *
 * Trade-off: this relies on the Dashboard listing newest first by `date_created`
 * (docs/architecture.md#tyk-classic; the emulator's `sortOrder` switch tries the other). A
 * Dashboard that lists in another order, or reports `Pages` oddly, makes
 * every probe a change, which costs a full read per poll but never hides one. What it cannot
 * see is an edit of a request, or a removal below the cached requests page 1 shows (below the
 * newest page length − k when k are new, so beyond page 1 at least) that leaves `Pages` as it
 * was, such as another admin declining an old request: the list keeps showing those until the
 * next full read, which the poller schedules every few polls.
 */
export function compareFirstPage(
  cached: readonly KeyRequest[],
  isCached: (requestId: string) => boolean,
  page: RequestPage
): ProbeFinding {
  const ids = page.items.map((item) => item.id)
  if (new Set(ids).size !== ids.length) return { kind: 'changed' }
  if (fits(cached.length, ids.length, page.pages) && newestAre(cached, ids)) {
    return { kind: 'unchanged' }
  }
  let added = 0
  while (added < ids.length && !isCached(ids[added]!)) added += 1
  const onlyAdded =
    added > 0 &&
    added < ids.length &&
    fits(cached.length + added, ids.length, page.pages) &&
    newestAre(cached, ids.slice(added))
  return onlyAdded ? { kind: 'added', items: page.items.slice(0, added) } : { kind: 'changed' }
}

/** Whether a list of `total` requests gives that page 1 length and page count. */
function fits(total: number, pageLength: number, pages: number): boolean {
  // Everything fits on page 1 (old Dashboards say 0 for a single page).
  if (pages <= 1) return total === pageLength
  return pageLength > 0 && Math.ceil(total / pageLength) === pages
}

/** Whether the cache's first `ids.length` requests are those (distinct) ids, in any order. */
function newestAre(cached: readonly KeyRequest[], ids: readonly string[]): boolean {
  if (cached.length < ids.length) return false
  const onPage = new Set(ids)
  for (let i = 0; i < ids.length; i += 1) {
    if (!onPage.has(cached[i]!.id)) return false
  }
  return true
}
