import { describe, expect, it } from 'vitest'
import type { PortalKind } from '../../../shared/domain'
import { AppFailure } from '../../../shared/result'
import { portalAdapters } from './adapters'
import { tykClassicAdapter } from './tyk-classic/tyk-classic-adapter'

describe('portal adapter registry', () => {
  it('gives Tyk Classic profiles the Classic adapter and its capabilities', () => {
    const adapter = portalAdapters.adapterFor('tyk-classic')
    expect(adapter).toBe(tykClassicAdapter)
    expect(adapter.capabilities).toEqual({
      decline: 'deletes',
      approve: 'returns-credential',
      idType: 'string'
    })
  })

  it('refuses, as a value the user can act on, a kind this build has no adapter for', () => {
    const unknownKind = 'tyk-edp' as PortalKind
    let thrown: unknown
    try {
      portalAdapters.adapterFor(unknownKind)
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(AppFailure)
    expect((thrown as AppFailure).error).toMatchObject({ code: 'VALIDATION' })
    expect((thrown as AppFailure).message).toContain('"tyk-edp"')
  })
})
