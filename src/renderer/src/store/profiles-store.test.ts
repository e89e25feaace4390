// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import { installFakeKeygate, type FakeKeygate } from '../lib/testing/fake-keygate'
import { testProfileSummary } from '../lib/testing/profile-summary'
import { profileName, useProfilesStore } from './profiles-store'

let keygate: FakeKeygate
const offline = { state: 'offline', since: null, lastSuccessAt: null, lastError: null } as const

beforeEach(() => {
  keygate = installFakeKeygate()
  useProfilesStore.setState({ info: null, profiles: [], phase: 'loading', error: null })
})

describe('profiles store', () => {
  it('loads the profiles and app info together', async () => {
    keygate.succeed('profiles:list', [testProfileSummary()])
    keygate.succeed('app:info', {
      version: '0.1.0',
      platform: 'linux',
      keychain: { available: false, message: 'No keychain' }
    })
    await useProfilesStore.getState().load()
    expect(useProfilesStore.getState()).toMatchObject({
      phase: 'ready',
      info: { keychain: { available: false } }
    })
    expect(useProfilesStore.getState().profiles.map((profile) => profile.id)).toEqual(['prod'])
  })

  it('says why the profiles could not be read', async () => {
    keygate.fail('profiles:list', 'Keygate’s core did not answer')
    await useProfilesStore.getState().load()
    expect(useProfilesStore.getState()).toMatchObject({
      phase: 'error',
      error: { message: 'Keygate’s core did not answer' }
    })
  })

  it('updates one profile’s connectivity in place, and names removed portals', () => {
    useProfilesStore
      .getState()
      .setProfiles([testProfileSummary(), testProfileSummary({ id: 'staging', name: 'Staging' })])
    useProfilesStore.getState().setConnectivity('staging', offline)
    const profiles = useProfilesStore.getState().profiles
    expect(profiles.map((profile) => profile.connectivity.state)).toEqual(['online', 'offline'])
    expect(profileName(profiles, 'staging')).toBe('Staging')
    expect(profileName(profiles, 'gone')).toBe('Removed portal')
  })
})
