import { beforeEach, describe, expect, it } from 'vitest'
import { useNavStore } from './nav-store'

const ref = { profileId: 'prod', requestId: 'r1' }

beforeEach(() => {
  useNavStore.setState({ profileId: null, tab: 'pending', selected: null, dialog: null })
})

describe('nav store', () => {
  it('drops the selection when the scope or the tab changes, and keeps it otherwise', () => {
    const nav = useNavStore.getState()
    nav.select(ref)
    nav.showScope(null)
    nav.setTab('pending')
    expect(useNavStore.getState().selected).toEqual(ref)
    nav.showScope('prod')
    expect(useNavStore.getState()).toMatchObject({ profileId: 'prod', selected: null })
    nav.select(ref)
    nav.setTab('decisions')
    expect(useNavStore.getState()).toMatchObject({ tab: 'decisions', selected: null })
  })

  it('jumps to one request: its portal, the pending tab, selected', () => {
    useNavStore.setState({ tab: 'approved', profileId: 'staging' })
    useNavStore.getState().showRequest(ref)
    expect(useNavStore.getState()).toMatchObject({
      profileId: 'prod',
      tab: 'pending',
      selected: ref
    })
  })

  it('opens and closes one dialog', () => {
    useNavStore.getState().openDialog({ kind: 'decline', ref })
    expect(useNavStore.getState().dialog).toEqual({ kind: 'decline', ref })
    useNavStore.getState().closeDialog()
    expect(useNavStore.getState().dialog).toBeNull()
  })
})
