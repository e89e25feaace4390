import { describe, expect, it } from 'vitest'
import { RecordingLogger } from '../testing/recording-logger'
import { FakeStore } from '../testing/fake-store'
import { outboxResolutionReasons, outboxStates } from '../../../shared/domain'
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
  sendAfter: null,
  verifyAfter: null
})

describe('outbox persistence', () => {
  it('reads back what it wrote, in order', () => {
    const store = new FakeStore()
    saveItems(store, [item('a'), item('b')])
    expect(loadItems(store)).toEqual({ items: [item('a'), item('b')], unreadable: [] })
  })

  it('starts empty on a new store, and on a store that holds no list (logged)', () => {
    const logger = new RecordingLogger()
    expect(loadItems(new FakeStore(), logger)).toEqual({ items: [], unreadable: [] })
    expect(logger.lines).toEqual([])
    const damaged = new FakeStore()
    damaged.set('items', { a: 1 })
    expect(loadItems(damaged, logger)).toEqual({ items: [], unreadable: [] })
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message: 'Outbox store holds no item list; starting empty',
        data: { type: 'object' }
      }
    ])
    expect(loadItems(damaged)).toEqual({ items: [], unreadable: [] })
  })

  it('keeps an unreadable entry aside, unsent, and reads the rest', () => {
    const logger = new RecordingLogger()
    const store = new FakeStore()
    const newer = { ...item('b'), state: 'lost' }
    store.set('items', [item('a'), newer, item('c')])
    const loaded = loadItems(store, logger)
    expect(loaded.items.map((entry) => entry.opId)).toEqual(['a', 'c'])
    expect(loaded.unreadable).toEqual([newer])
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message: 'Keeping an outbox entry this version cannot read; it is not sent',
        data: { issue: expect.stringMatching(/.+/) }
      }
    ])
    expect(loadItems(store).unreadable).toEqual([newer])
  })

  it('reads back every state, kind, resolution and deadline an item can hold', () => {
    const store = new FakeStore()
    const at = '2026-03-12T13:05:00.000Z'
    const items: StoredOutboxItem[] = [
      ...outboxStates.map((state) => ({ ...item(`s-${state}`), state, resolution: null })),
      ...outboxResolutionReasons.map((reason) => ({
        ...item(`r-${reason}`),
        resolution: { reason, at }
      })),
      {
        ...item('decline'),
        kind: 'decline',
        reason: 'Duplicate request',
        attempts: 0,
        state: 'failed',
        lastError: { code: 'SERVER_ERROR', message: 'The Dashboard failed.', retryable: true },
        resolution: null,
        label: { developerEmail: 'dev@example.com', catalogueName: 'Payments' },
        nextAttemptAt: at,
        verifyAfter: 1_700_000_000_000,
        holdUntil: 1_700_000_060_000
      },
      { ...item('hold-null'), holdUntil: null }
    ]
    saveItems(store, items)
    expect(loadItems(store)).toEqual({ items, unreadable: [] })
  })

  it('moves every deadline back by as much as the clock went back since the newest write', () => {
    const store = new FakeStore()
    const written = Date.parse('2026-03-12T13:00:00.000Z')
    const back = 3 * 60 * 60_000
    const iso = (at: number) => new Date(at).toISOString()
    const waiting: StoredOutboxItem = {
      ...item('waiting'),
      state: 'sending',
      updatedAt: iso(written),
      nextAttemptAt: iso(written + 60_000),
      verifyAfter: written + 15_000,
      holdUntil: written + 30_000
    }
    // Saved hours before the newest write (the shift is measured on the newest), and before
    // `holdUntil` existed.
    const older: StoredOutboxItem = { ...item('older'), updatedAt: iso(written - 5 * 60 * 60_000) }
    const heldNot: StoredOutboxItem = { ...older, opId: 'hold-null', holdUntil: null }
    saveItems(store, [waiting, older, heldNot])

    const { items } = loadItems(store, undefined, written - back)
    const moved = iso(written - 5 * 60 * 60_000 - back)
    expect(items).toEqual([
      {
        ...waiting,
        updatedAt: iso(written - back),
        nextAttemptAt: iso(written + 60_000 - back),
        verifyAfter: written + 15_000 - back,
        holdUntil: written + 30_000 - back
      },
      { ...older, updatedAt: moved },
      { ...heldNot, updatedAt: moved }
    ])
  })

  it.each([
    ['an empty opId', { opId: '' }],
    ['an empty profile id', { profileId: '' }],
    ['an empty request id', { requestId: '' }],
    ['an unknown kind', { kind: 'revoke' }],
    ['a negative attempt count', { attempts: -1 }],
    ['a fractional attempt count', { attempts: 1.5 }],
    ['an unknown resolution', { resolution: { reason: 'lost', at: '2026-03-12T13:00:00.000Z' } }],
    ['a resolution without a time', { resolution: { reason: 'response-lost' } }],
    ['a label without its fields', { label: {} }],
    ['a missing verifyAfter', { verifyAfter: undefined }],
    ['a text holdUntil', { holdUntil: 'soon' }],
    ['a malformed error', { lastError: { code: 'TIMEOUT' } }]
  ])('keeps aside, unsent, an entry with %s', (_what, change) => {
    const store = new FakeStore()
    const odd = { ...item('odd'), ...change }
    store.set('items', [odd, item('ok')])
    const loaded = loadItems(store)
    expect(loaded.items.map((entry) => entry.opId)).toEqual(['ok'])
    expect(loaded.unreadable).toEqual([odd])
  })

  it('writes the entries it could not read back after the items, as found', () => {
    const store = new FakeStore()
    const newer = { ...item('n'), state: 'lost' }
    saveItems(store, [item('a')], [newer])
    expect(store.get('items')).toEqual([item('a'), newer])
  })
})
