import { z } from 'zod'
import type { KeyRequest, RequestStatus } from '../../../shared/domain'
import { requestDetailsSchema } from '../portal/request-details'
import type { Logger } from '../ports'

// The list cache's file: its format, written whole, and read back list by list so one damaged
// list costs only itself.

/** The store key holding every cached list (one key, so a flush is one file write). */
export const LIST_CACHE_KEY = 'lists'
const FORMAT_VERSION = 1

const nullableString = z.string().nullable()
const catalogueRefSchema = z.object({
  name: z.string(),
  authType: nullableString,
  policyId: nullableString
})
/**
 * A cache written before requests had a kind-specific part kept Classic's fields at the top:
 * they move into `details`, so an upgrade still shows the last list while the portal is away.
 */
function withDetails(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || 'details' in item) return item
  const { legacy, version, forApi, oauthRedirectUri, ...rest } = item as Record<string, unknown>
  return { ...rest, details: { kind: 'tyk-classic', legacy, version, forApi, oauthRedirectUri } }
}

const cachedRequestSchema = z.preprocess(
  withDetails,
  z.object({
    id: z.string(),
    profileId: z.string(),
    approved: z.boolean(),
    createdAt: nullableString,
    developer: z.object({ id: z.string(), email: nullableString }),
    policies: z.array(z.object({ id: z.string(), name: nullableString })),
    catalogue: catalogueRefSchema.nullable(),
    catalogues: z.array(catalogueRefSchema),
    fields: z.record(z.string(), z.string()),
    unreadable: z.string().optional(),
    details: requestDetailsSchema,
    queued: z.null()
  })
)
const cachedListSchema = z.object({ fetchedAt: z.string(), items: z.array(cachedRequestSchema) })
const cacheFileSchema = z.object({
  version: z.literal(FORMAT_VERSION),
  profiles: z.record(z.string(), z.record(z.string(), z.unknown()))
})

/** One cached list as the file holds it. */
export interface StoredList {
  profileId: string
  status: RequestStatus
  fetchedAt: string
  /** Newest first. */
  items: KeyRequest[]
}

/** The file's value for these lists. */
export function cacheFile(lists: Iterable<StoredList>): unknown {
  const profiles: Record<string, Partial<Record<RequestStatus, unknown>>> = {}
  for (const { profileId, status, fetchedAt, items } of lists) {
    profiles[profileId] ??= {}
    profiles[profileId][status] = { fetchedAt, items }
  }
  return { version: FORMAT_VERSION, profiles }
}

/**
 * The lists a stored value holds. An unreadable file, or list, is logged and left out: the next
 * poll fetches it again.
 */
export function readCacheFile(raw: unknown, logger: Logger): StoredList[] {
  if (raw === undefined) return []
  const file = cacheFileSchema.safeParse(raw)
  if (!file.success) {
    logger.warn('Ignoring an unreadable list cache; lists will be fetched again')
    return []
  }
  const lists: StoredList[] = []
  for (const [profileId, byStatus] of Object.entries(file.data.profiles)) {
    for (const status of ['pending', 'approved'] as const) {
      if (byStatus[status] === undefined) continue
      const list = cachedListSchema.safeParse(byStatus[status])
      if (!list.success || list.data.items.some((item) => item.profileId !== profileId)) {
        logger.warn('Ignoring an unreadable cached list', { profileId, status })
        continue
      }
      lists.push({ profileId, status, ...list.data })
    }
  }
  return lists
}
