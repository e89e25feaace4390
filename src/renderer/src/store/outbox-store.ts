import { create } from 'zustand'
import type { OutboxItem } from '../../../shared/domain'
import type { AppError } from '../../../shared/result'
import { call } from '../api'
import { isActive } from '../lib/outbox-text'
import { toast } from './toast-store'

interface OutboxState {
  items: OutboxItem[]
  byOp: ReadonlyMap<string, OutboxItem>
  /** Items not yet settled: queued, sending, needs-auth. */
  activeCount: number
  error: AppError | null
  /** opIds with a retry or cancel call in flight. */
  busy: ReadonlySet<string>
  load(): Promise<void>
  setItems(items: OutboxItem[]): void
  retry(opId: string): Promise<void>
  cancel(opId: string): Promise<void>
}

function derive(items: OutboxItem[]): Pick<OutboxState, 'items' | 'byOp' | 'activeCount'> {
  return {
    items,
    byOp: new Map(items.map((item) => [item.opId, item])),
    activeCount: items.filter((item) => isActive(item.state)).length
  }
}

/** Every queued approve/decline and its fate, mirrored from main's durable outbox. */
export const useOutboxStore = create<OutboxState>()((set, get) => {
  async function act(opId: string, channel: 'outbox:retry' | 'outbox:cancel'): Promise<void> {
    set({ busy: new Set(get().busy).add(opId) })
    const result = await call((k) => k[channel]({ opId }))
    const busy = new Set(get().busy)
    busy.delete(opId)
    set({ busy })
    if (!result.ok) toast('error', result.error.message)
  }
  return {
    ...derive([]),
    error: null,
    busy: new Set(),
    async load() {
      const result = await call((k) => k['outbox:list']())
      if (result.ok) set({ ...derive(result.value), error: null })
      else set({ error: result.error })
    },
    setItems(items) {
      set({ ...derive(items), error: null })
    },
    retry: (opId) => act(opId, 'outbox:retry'),
    cancel: (opId) => act(opId, 'outbox:cancel')
  }
})
