// @vitest-environment happy-dom
import { cleanup, fireEvent, render, renderHook, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KeyRequest } from '../../../shared/domain'
import { BatchStatus } from '../components/BatchStatus'
import { BulkConfirmDialog } from '../components/BulkConfirmDialog'
import { UndoToast } from '../components/UndoToast'
import { useTriageKeys } from '../hooks/use-triage-keys'
import { buildRows, refKey } from '../lib/request-rows'
import { installFakeKeygate, type FakeKeygate } from '../lib/testing/fake-keygate'
import { testKeyRequest } from '../../../shared/testing/key-request'
import { testOutboxItem } from '../lib/testing/outbox-item'
import { useBulkStore } from './bulk-store'
import { useKeysStore } from './keys-store'
import { useNavStore } from './nav-store'
import { useOutboxStore } from './outbox-store'
import { useProfilesStore } from './profiles-store'
import { useRequestsStore } from './requests-store'
import { useSelectionStore } from './selection-store'
import { useSettingsStore } from './settings-store'
import { useTriageStore } from './triage-store'
import { useUndoStore } from './undo-store'

const ref = (requestId: string) => ({ profileId: 'prod', requestId })
const picked = () => [...useSelectionStore.getState().keys].map((key) => key.split('\n')[1])

function list(...items: KeyRequest[]) {
  const rows = buildRows(items)
  useRequestsStore.setState({ rows, filtered: rows })
}

function press(key: string, init: KeyboardEventInit = {}) {
  window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, ...init }))
}

let keygate: FakeKeygate
let unmount: () => void = () => {}

beforeEach(() => {
  keygate = installFakeKeygate()
  list(...['r1', 'r2', 'r3', 'r4', 'r5'].map((id) => testKeyRequest(id)))
  useNavStore.setState({ tab: 'pending', selected: ref('r1'), dialog: null })
  useKeysStore.setState({ openKeyId: null, notices: [] })
  useTriageStore.setState({ busy: {} })
  useOutboxStore.getState().setItems([])
  useSelectionStore.getState().clear()
  useBulkStore.setState({ batch: null, sending: false })
  useUndoStore.setState({ offer: null })
  useSettingsStore.setState({ settings: { undoSeconds: 5 } })
  ;({ unmount } = renderHook(() => useTriageKeys()))
})
afterEach(() => {
  unmount()
  cleanup()
})

describe('selection keys', () => {
  it('x toggles the current request, Shift+J extends a range, Esc clears', () => {
    press('x')
    expect(picked()).toEqual(['r1'])
    press('J', { shiftKey: true })
    press('J', { shiftKey: true })
    expect(picked()).toEqual(['r1', 'r2', 'r3'])
    press('K', { shiftKey: true })
    expect(picked()).toEqual(['r1', 'r2'])
    press('Escape')
    expect(picked()).toEqual([])
  })

  it('Ctrl/Cmd+A selects every request the search shows, not the hidden ones', () => {
    const rows = useRequestsStore.getState().rows
    useRequestsStore.setState({ filtered: rows.slice(1, 4) })
    press('a', { ctrlKey: true })
    expect(picked()).toEqual(['r2', 'r3', 'r4'])
    useSelectionStore.getState().clear()
    press('A', { metaKey: true })
    expect(picked()).toEqual(['r2', 'r3', 'r4'])
  })

  it('with requests picked, a asks to confirm a bulk approve instead of approving one', () => {
    press('x')
    press('a')
    expect(useNavStore.getState().dialog).toEqual({ kind: 'bulk-confirm', decision: 'approve' })
    expect(keygate.callsTo('requests:approve')).toEqual([])
  })
})

describe('bulk confirmation and batch', () => {
  it('summarises by portal and policy, names flagged requests, and sends one decideMany', async () => {
    list(
      testKeyRequest('r1', { flags: [{ kind: 'duplicate', text: 'Also requested on 2 Dec' }] }),
      testKeyRequest('r2'),
      testKeyRequest('r3', { profileId: 'stage' })
    )
    useProfilesStore.setState({
      profiles: [
        { id: 'prod', name: 'Production' },
        { id: 'stage', name: 'Staging' }
      ] as never
    })
    useSelectionStore.getState().selectAll()
    keygate.succeed('requests:decideMany', {
      accepted: [
        { ...ref('r1'), opId: 'op-1' },
        { ...ref('r2'), opId: 'op-2' }
      ],
      refused: [
        { profileId: 'stage', requestId: 'r3', message: 'Already queued: approval queued' }
      ],
      sendAfter: new Date(Date.now() + 5000).toISOString()
    })
    render(<BulkConfirmDialog decision="approve" />)
    expect(screen.getByTestId('bulk-by-portal').textContent).toContain('Production: 2')
    expect(screen.getByTestId('bulk-by-portal').textContent).toContain('Staging: 1')
    expect(screen.getByTestId('bulk-flagged').textContent).toContain('Also requested on 2 Dec')

    fireEvent.click(screen.getByRole('button', { name: 'Approve 3' }))
    await waitUntil(() => useBulkStore.getState().batch !== null)
    expect(keygate.callsTo('requests:decideMany')).toEqual([
      { refs: [ref('r1'), ref('r2'), { profileId: 'stage', requestId: 'r3' }], kind: 'approve' }
    ])
    expect(picked()).toEqual([])
    expect(useUndoStore.getState().offer?.text).toBe('Approving 2 requests')
  })

  it('shows progress and per-item results from the outbox pushes', () => {
    useBulkStore.setState({
      batch: {
        kind: 'approve',
        entries: ['r1', 'r2', 'r3'].map((id, i) => ({ ...ref(id), opId: `op-${i}`, who: id })),
        refused: [],
        keys: new Set(['r1', 'r2', 'r3'].map((id) => refKey(ref(id))))
      }
    })
    useOutboxStore
      .getState()
      .setItems([
        testOutboxItem({ opId: 'op-0', kind: 'approve', state: 'done' }),
        testOutboxItem({ opId: 'op-1', kind: 'approve', state: 'conflict' }),
        testOutboxItem({ opId: 'op-2', kind: 'approve', state: 'queued' })
      ])
    render(<BatchStatus />)
    const status = screen.getByTestId('batch-status').textContent
    expect(status).toContain('2 of 3 sent')
    expect(status).toContain('1 approved')
    expect(status).toContain('1 conflicts')
  })

  it('one Undo takes the whole batch back (button, z or Ctrl+Z)', async () => {
    keygate.succeed('requests:undo', { cancelled: 2, refused: [] })
    useUndoStore.getState().show('Approving 2 requests', [ref('r1'), ref('r2')], Date.now() + 5000)
    render(<UndoToast />)
    expect(screen.getByTestId('undo-toast').textContent).toMatch(
      /Approving 2 requests: sending in [1-5] s/
    )
    press('z', { ctrlKey: true })
    await waitUntil(() => keygate.callsTo('requests:undo').length > 0)
    expect(keygate.callsTo('requests:undo')).toEqual([{ refs: [ref('r1'), ref('r2')] }])
    expect(useUndoStore.getState().offer).toBeNull()
  })

  it('a single approve inside the window offers Undo and moves focus on to the next request at once', async () => {
    let answer: (value: unknown) => void = () => {}
    keygate.answer('requests:approve', () => new Promise((resolve) => (answer = resolve as never)))
    press('a')
    expect(useUndoStore.getState().offer?.refs).toEqual([ref('r1')])
    expect(useNavStore.getState().selected).toEqual(ref('r2'))
    answer({
      ok: true,
      value: { opId: 'op-1', state: 'cancelled', keyId: null, message: 'Cancelled.' }
    })
  })
})

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !condition(); turn += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
  expect(condition()).toBe(true)
}
