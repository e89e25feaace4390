import { describe, expect, it } from 'vitest'
import { RecordingLogger as MemoryLogger } from '../testing/recording-logger'
import { FakeStore as MemoryStore } from '../testing/fake-store'
import { loadItems, saveItems } from './outbox-persistence'
import type { StoredOutboxItem } from './outbox-types'

const item = (opId: string): StoredOutboxItem => ({
  opId,
  profileId: 'p1',
  requestId: `r-${opId}`,
  kind: 'approve',
  reason: null,
  createdAt: '2026-03-12T13:00:00.000Z',
  updatedAt: '2026-03-12T13:00:00.000Z',
  attempts: 1,
  state: 'done',
  lastError: null,
  resolution: { reason: 'approved-elsewhere', at: '2026-03-12T13:00:00.000Z' },
  label: { developerEmail: null, catalogueName: null },
  nextAttemptAt: null,
  verifyAfter: null
})

describe('outbox persistence', () => {
  it('reads back what it wrote, in order', () => {
    const store = new MemoryStore()
    saveItems(store, [item('a'), item('b')])
    expect(loadItems(store)).toEqual({ items: [item('a'), item('b')], unreadable: [] })
  })

  it('starts empty on a new store, and on a store that holds no list (logged)', () => {
    const logger = new MemoryLogger()
    expect(loadItems(new MemoryStore(), logger)).toEqual({ items: [], unreadable: [] })
    expect(logger.lines).toEqual([])
    const damaged = new MemoryStore()
    damaged.set('items', { a: 1 })
    expect(loadItems(damaged, logger)).toEqual({ items: [], unreadable: [] })
    expect(logger.lines.map((line) => line.message)).toEqual([
      'Outbox store holds no item list; starting empty'
    ])
  })

  it('keeps an unreadable entry aside, unsent, and reads the rest', () => {
    const logger = new MemoryLogger()
    const store = new MemoryStore()
    const newer = { ...item('b'), state: 'lost' }
    store.set('items', [item('a'), newer, item('c')])
    const loaded = loadItems(store, logger)
    expect(loaded.items.map((entry) => entry.opId)).toEqual(['a', 'c'])
    expect(loaded.unreadable).toEqual([newer])
    expect(logger.lines.map((line) => line.message)).toEqual([
      'Keeping an outbox entry this version cannot read; it is not sent'
    ])
  })
})
