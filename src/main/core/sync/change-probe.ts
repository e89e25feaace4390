import type { KeyRequest } from '../../../shared/domain'
import type { RequestPage } from '../portal/portal-client'

/**
 * Whether page 1 of the pending list shows a change since the cached full read: an id the cache
 * does not hold among its newest, one of those missing, or a different page count.
 *
 * Trade-off: this relies on the Dashboard listing newest first by `date_created` (reference §3,
 * open question q5). A Dashboard that lists in another order, or reports `Pages` oddly, makes
 * every probe differ, which costs a full read per poll but never hides a change. What it cannot
 * see is a removal beyond page 1 that leaves `Pages` as it was (another admin declining an old
 * request): that shows up at the next full read, which the poller schedules every few polls.
 * Ids are compared as a set, since requests created in the same instant may be listed in
 * either order.
 */
export function firstPageDiffers(cached: readonly KeyRequest[], page: RequestPage): boolean {
  if (page.pages <= 1) {
    // Everything fits on page 1 (old Dashboards say 0 for a single page).
    return cached.length !== page.ids.length || !newestAre(cached, page.ids)
  }
  const pageSize = page.ids.length
  if (pageSize === 0) return true
  return Math.ceil(cached.length / pageSize) !== page.pages || !newestAre(cached, page.ids)
}

function newestAre(cached: readonly KeyRequest[], ids: readonly string[]): boolean {
  if (cached.length < ids.length) return false
  const onPage = new Set(ids)
  if (onPage.size !== ids.length) return false
  for (let i = 0; i < ids.length; i += 1) {
    if (!onPage.has(cached[i]!.id)) return false
  }
  return true
}
