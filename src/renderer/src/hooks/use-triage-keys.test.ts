// @vitest-environment happy-dom
import { renderHook } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KeyRequest } from '../../../shared/domain'
import { buildRows, refKey } from '../lib/request-rows'
import { installFakeKeygate, type FakeKeygate } from '../lib/testing/fake-keygate'
import { testKeyRequest } from '../../../shared/testing/key-request'
import { testOutboxItem } from '../lib/testing/outbox-item'
import { useKeysStore } from '../store/keys-store'
import { useNavStore } from '../store/nav-store'
import { useOutboxStore } from '../store/outbox-store'
import { useRequestsStore } from '../store/requests-store'
import { useTriageStore } from '../store/triage-store'
import { moveSelection, useTriageKeys } from './use-triage-keys'

const ref = (requestId: string) => ({ profileId: 'prod', requestId })
const selected = () => useNavStore.getState().selected?.requestId ?? null

function list(...items: KeyRequest[]) {
  const rows = buildRows(items)
  useRequestsStore.setState({ rows, filtered: rows })
}

function press(key: string, target: EventTarget = window, init: KeyboardEventInit = {}) {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, ...init }))
}

let keygate: FakeKeygate
let unmount: () => void = () => {}

beforeEach(() => {
  keygate = installFakeKeygate()
  list(...['r1', 'r2', 'r3'].map((id) => testKeyRequest(id)))
  useNavStore.setState({ tab: 'pending', selected: null, dialog: null })
  useKeysStore.setState({ openKeyId: null })
  useTriageStore.setState({ busy: {} })
  useOutboxStore.getState().setItems([])
  ;({ unmount } = renderHook(() => useTriageKeys()))
})
afterEach(() => {
  unmount()
  document.body.innerHTML = ''
})

describe('moveSelection', () => {
  it('starts at the first row, then moves within the visible rows without running off either end', () => {
    moveSelection(1)
    expect(selected()).toBe('r1')
    moveSelection(1)
    moveSelection(5)
    expect(selected()).toBe('r3')
    moveSelection(-10)
    expect(selected()).toBe('r1')
  })

  it('walks the filtered rows only, and does nothing on the decision log', () => {
    const rows = useRequestsStore.getState().rows
    useRequestsStore.setState({ filtered: [rows[0]!, rows[2]!] })
    useNavStore.setState({ selected: ref('r1') })
    moveSelection(1)
    expect(selected()).toBe('r3')
    useNavStore.setState({ tab: 'decisions' })
    moveSelection(-1)
    expect(selected()).toBe('r3')
  })
})

describe('triage keys', () => {
  it('j and k move the selection; / focuses the search box', () => {
    const search = document.createElement('input')
    search.id = 'request-search'
    document.body.append(search)
    press('j')
    press('j')
    press('k')
    expect(selected()).toBe('r1')
    press('/')
    expect(document.activeElement).toBe(search)
  })

  it('a approves the selected pending request; d asks for the decline reason', async () => {
    keygate.succeed('requests:approve', { opId: 'op', state: 'done', keyId: null, message: 'ok' })
    useNavStore.setState({ selected: ref('r2') })
    press('d')
    expect(useNavStore.getState().dialog).toEqual({ kind: 'decline', ref: ref('r2') })
    useNavStore.setState({ dialog: null })
    press('a')
    expect(keygate.callsTo('requests:approve')).toEqual([ref('r2')])
  })

  it('ignores keys typed into a field, with a modifier, or under a dialog or the key dialog', () => {
    const field = document.createElement('textarea')
    document.body.append(field)
    press('j', field)
    press('j', window, { ctrlKey: true })
    useNavStore.setState({ dialog: { kind: 'outbox' } })
    press('j')
    useNavStore.setState({ dialog: null })
    useKeysStore.setState({ openKeyId: 'key-1' })
    press('j')
    expect(selected()).toBeNull()
  })

  it('does not act on a request that is approved, busy or already has an action on its way', () => {
    useNavStore.setState({ selected: ref('r1') })
    list(testKeyRequest('r1', { approved: true }))
    press('a')
    list(testKeyRequest('r1', { queued: { opId: 'op-1', kind: 'approve', state: 'queued' } }))
    useOutboxStore.getState().setItems([testOutboxItem({ opId: 'op-1', state: 'queued' })])
    press('a')
    press('d')
    list(testKeyRequest('r1'))
    useTriageStore.setState({ busy: { [refKey(ref('r1'))]: 'approve' } })
    press('a')
    useTriageStore.setState({ busy: {} })
    useNavStore.setState({ tab: 'approved' })
    press('a')
    expect(keygate.calls).toEqual([])
    expect(useNavStore.getState().dialog).toBeNull()
  })
})
