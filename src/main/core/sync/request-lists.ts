import type { KeyRequest } from '../../../shared/domain'

// The list cache's data structure: newest-first lists built, merged and interleaved without
// re-parsing dates, so a poll of a long list that changed little costs little.

/** One cached list, newest first, with what merging and lookups need kept alongside. */
export interface ListData {
  /** Newest first. */
  items: KeyRequest[]
  /** `createdAt` in epoch ms per item (-Infinity when absent), for merging without re-parsing. */
  times: Float64Array
  /** Position of each id in `items`. */
  index: Map<string, number>
  fetchedAt: string
}

function timeOf(item: KeyRequest): number {
  const ms = item.createdAt === null ? Number.NaN : Date.parse(item.createdAt)
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms
}

/** A list from items in any order, sorted newest first unless already so (as the Dashboard sends them). */
export function buildList(items: KeyRequest[], fetchedAt: string): ListData {
  let times = Float64Array.from(items, timeOf)
  let sorted = items
  if (times.some((time, index) => index > 0 && time > times[index - 1]!)) {
    const order = items.map((_, index) => index)
    order.sort((a, b) => times[b]! - times[a]! || a - b)
    sorted = order.map((index) => items[index]!)
    times = Float64Array.from(order, (index) => times[index]!)
  }
  const index = new Map<string, number>()
  sorted.forEach((item, position) => index.set(item.id, position))
  return { items: sorted, times, index, fetchedAt }
}

/**
 * The next list from the kept cached items (in their order, times already parsed) and the
 * changed or added ones (sorted), merged newest first. Reuses the previous index map in place:
 * a poll that adds a few requests to a long list parses only the new dates.
 */
export function mergeChanges(
  previous: ListData,
  kept: Uint8Array,
  keptCount: number,
  fresh: ListData
): ListData {
  const total = keptCount + fresh.items.length
  const items: KeyRequest[] = new Array(total)
  const times = new Float64Array(total)
  let p = 0
  let f = 0
  for (let o = 0; o < total; o += 1) {
    while (p < kept.length && kept[p] === 0) p += 1
    const takeFresh =
      f < fresh.items.length && (p >= kept.length || fresh.times[f]! > previous.times[p]!)
    if (takeFresh) {
      items[o] = fresh.items[f]!
      times[o] = fresh.times[f]!
      f += 1
    } else {
      items[o] = previous.items[p]!
      times[o] = previous.times[p]!
      p += 1
    }
  }
  const index = previous.index
  previous.items.forEach((item, position) => {
    if (kept[position] === 0) index.delete(item.id)
  })
  items.forEach((item, position) => index.set(item.id, position))
  return { items, times, index, fetchedAt: fresh.fetchedAt }
}

export function mergeNewestFirst(lists: readonly ListData[]): KeyRequest[] {
  const heads = lists.map(() => 0)
  const total = lists.reduce((sum, list) => sum + list.items.length, 0)
  const out: KeyRequest[] = new Array(total)
  for (let n = 0; n < total; n += 1) {
    let pick = -1
    for (let l = 0; l < lists.length; l += 1) {
      const head = heads[l]!
      const list = lists[l]!
      if (head >= list.items.length) continue
      if (pick < 0 || list.times[head]! > lists[pick]!.times[heads[pick]!]!) pick = l
    }
    out[n] = lists[pick]!.items[heads[pick]!]!
    heads[pick] = heads[pick]! + 1
  }
  return out
}
