import type { KeyRequest, OutboxItem, RequestListView } from '../../../shared/domain'
import { activeOutboxStates, leftPendingOutboxStates } from '../../../shared/outbox-states'

type Queued = NonNullable<KeyRequest['queued']>

interface Marks {
  profileId: string
  /** The first active action on the request, shown on its row. */
  queued: Queued | null
  /** When Keygate learned the request left the pending list (approved or gone); ISO time. */
  leftPendingAt: string | null
}

const keyOf = (profileId: string, requestId: string): string => `${profileId}\u0000${requestId}`

const sameMarks = (a: Marks, b: Marks | undefined): boolean =>
  a.queued?.opId === b?.queued?.opId &&
  a.queued?.state === b?.queued?.state &&
  a.leftPendingAt === b?.leftPendingAt

/**
 * What the outbox adds to the request lists: the queued action on each request, and the
 * requests Keygate knows are no longer pending (an action of its own was done, or found the
 * request approved or gone elsewhere) although the last fetched list still has them. A request
 * never returns to pending, so hiding it until the next fetch shows the truth early.
 */
export class ListOverlay {
  private marks = new Map<string, Marks>()

  /** Rebuilds from the outbox's whole list; answers the profiles whose lists now read differently. */
  update(items: readonly OutboxItem[]): string[] {
    const next = new Map<string, Marks>()
    for (const item of items) {
      const active = activeOutboxStates.has(item.state)
      const left = leftPendingOutboxStates.has(item.state)
      if (!active && !left) continue
      const key = keyOf(item.profileId, item.requestId)
      let marks = next.get(key)
      if (!marks) {
        marks = { profileId: item.profileId, queued: null, leftPendingAt: null }
        next.set(key, marks)
      }
      // Items come oldest first: the first active one is the one the outbox works on.
      if (active && marks.queued === null) {
        marks.queued = { opId: item.opId, kind: item.kind, state: item.state }
      }
      if (left) {
        const at = item.resolution?.at ?? item.updatedAt
        if (marks.leftPendingAt === null || at < marks.leftPendingAt) marks.leftPendingAt = at
      }
    }
    const changed = new Set<string>()
    for (const [key, marks] of next) {
      if (!sameMarks(marks, this.marks.get(key))) changed.add(marks.profileId)
    }
    for (const [key, marks] of this.marks) {
      if (!next.has(key)) changed.add(marks.profileId)
    }
    this.marks = next
    return [...changed]
  }

  /** The queued action to show on a request (a `QueuedOverlay` for the sync lists). */
  readonly queued = (profileId: string, requestId: string): KeyRequest['queued'] =>
    this.marks.get(keyOf(profileId, requestId))?.queued ?? null

  /** Drops from a pending view the requests that left the pending list after it was fetched. */
  pending(view: RequestListView): RequestListView {
    const fetchedAt = new Map(view.sources.map((source) => [source.profileId, source.fetchedAt]))
    const items = view.items.filter((item) => {
      const left = this.marks.get(keyOf(item.profileId, item.id))?.leftPendingAt ?? null
      if (left === null) return true
      const fetched = fetchedAt.get(item.profileId) ?? null
      return fetched !== null && fetched > left
    })
    return items.length === view.items.length ? view : { ...view, items }
  }
}
