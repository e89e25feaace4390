import type { IssuedCredential, OutboxItem } from '../../../../shared/domain'
import type { AppFailure } from '../../../../shared/result'
import type { Logger } from '../../ports'
import { Outbox } from '../outbox'
import type { OutboxDeps } from '../outbox-types'
import { FakeClock } from '../../testing/fake-clock'
import { CallTracker, FakePortal } from '../../testing/fake-portal'
import { FakeStore as MemoryStore } from '../../testing/fake-store'

export interface HarnessOptions {
  profiles?: Record<string, { pending?: string[]; approved?: string[] }>
  store?: MemoryStore
  clock?: FakeClock
  deps?: Partial<OutboxDeps>
}

/** An Outbox on a fake clock, an in-memory store and one fake portal per profile, with recorders. */
export function createHarness(options: HarnessOptions = {}) {
  const clock = options.clock ?? new FakeClock()
  const store = options.store ?? new MemoryStore()
  const tracker = new CallTracker()
  const portals = new Map<string, FakePortal>()
  for (const [id, seed] of Object.entries(options.profiles ?? { p1: {} })) {
    portals.set(id, new FakePortal(id, seed, tracker))
  }
  const clientFailures = new Map<string, AppFailure>()
  const logs: string[] = []
  const logger: Logger = {
    info: (message, data) => logs.push(`${message} ${JSON.stringify(data ?? {})}`),
    warn: (message, data) => logs.push(`${message} ${JSON.stringify(data ?? {})}`),
    error: (message, data) => logs.push(`${message} ${JSON.stringify(data ?? {})}`)
  }
  const outbox = new Outbox({
    store,
    clock,
    logger,
    random: () => 0.5,
    clientFor: async (profileId) => {
      const failure = clientFailures.get(profileId)
      if (failure) throw failure
      const portal = portals.get(profileId)
      if (!portal) throw new Error(`no portal for ${profileId}`)
      return portal
    },
    ...options.deps
  })
  const credentials: { item: OutboxItem; credential: IssuedCredential }[] = []
  outbox.onCredential((item, credential) => credentials.push({ item, credential }))
  const problems: OutboxItem[][] = []
  outbox.onSettled((items) => problems.push(items))
  const portal = (id = 'p1'): FakePortal => {
    const found = portals.get(id)
    if (!found) throw new Error(`no portal ${id}`)
    return found
  }
  const byRequest = (requestId: string, kind?: 'approve' | 'decline'): OutboxItem => {
    const found = outbox
      .list()
      .find((item) => item.requestId === requestId && (kind === undefined || item.kind === kind))
    if (!found) throw new Error(`no item for ${requestId}`)
    return found
  }
  return {
    outbox,
    clock,
    store,
    portals,
    portal,
    tracker,
    clientFailures,
    logs,
    credentials,
    problems,
    byRequest
  }
}

export const approve = (requestId: string, profileId = 'p1') => ({
  profileId,
  requestId,
  kind: 'approve' as const,
  label: { developerEmail: `${requestId}@example.com`, catalogueName: 'Gold' }
})

export const decline = (requestId: string, profileId = 'p1', reason: string | null = null) => ({
  profileId,
  requestId,
  kind: 'decline' as const,
  reason
})
