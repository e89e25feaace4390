// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { DecisionLogEntry } from '../../../shared/domain'
import { installFakeKeygate, type FakeKeygate } from '../lib/testing/fake-keygate'
import { testProfileSummary } from '../lib/testing/profile-summary'
import { noDecisionFilters } from '../lib/decision-rows'
import { useDecisionFiltersStore } from '../store/decision-filters-store'
import { useDecisionsStore } from '../store/decisions-store'
import { useNavStore } from '../store/nav-store'
import { useProfilesStore } from '../store/profiles-store'
import { DecisionFilters } from './DecisionFilters'
import { DecisionLog } from './DecisionLog'
import { testDecisionEntry } from '../../../shared/testing/decision-entry'

const entry = (opId: string, profileId: string, decidedAt: string): DecisionLogEntry =>
  testDecisionEntry({
    opId,
    profileId,
    decidedAt,
    outcome: 'cancelled',
    developerEmail: `${opId}@example.com`
  })
const removedAt = '2026-03-13T00:00:00.000Z'
const logs: Record<string, DecisionLogEntry[]> = {
  prod: [entry('p1', 'prod', '2026-03-12T13:00:00.000Z')],
  old: [
    {
      ...entry('o1', 'old', '2026-03-12T14:00:00.000Z'),
      resolution: { reason: 'cancelled-outcome-unknown', at: removedAt },
      portalRemoved: { name: 'Staging', at: removedAt }
    }
  ]
}

let keygate: FakeKeygate

beforeEach(() => {
  // happy-dom lays nothing out: give the list a height, so the virtualizer shows its rows.
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600)
  keygate = installFakeKeygate()
  keygate.answer('decisions:list', (args) => ({ ok: true, value: logs[args.profileId] ?? [] }))
  keygate.succeed('decisions:removedPortals', [{ profileId: 'old', name: 'Staging', removedAt }])
  keygate.succeed('export:save', { saved: false, path: null, rows: 0 })
  useProfilesStore.setState({ profiles: [testProfileSummary({ id: 'prod', name: 'Production' })] })
  useNavStore.setState({ profileId: null })
  useDecisionFiltersStore.setState({ filters: noDecisionFilters })
  useDecisionsStore.setState({
    profileId: null,
    shown: false,
    phase: 'idle',
    rows: [],
    removed: []
  })
})
afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

const row = (opId: string) => screen.getByRole('listitem', { name: `Decline ${opId}@example.com` })

describe('the decision log across every portal', () => {
  it('lists a deleted portal’s decisions, each labelled with its name and that it was removed', async () => {
    render(<DecisionLog />)
    await screen.findByRole('listitem', { name: 'Decline o1@example.com' })
    expect(within(row('o1')).getByText('Staging (removed)')).toBeTruthy()
    expect(within(row('p1')).getByText('Production')).toBeTruthy()
  })

  it('filters and exports by a deleted portal as by any other', async () => {
    const user = userEvent.setup()
    render(
      <>
        <DecisionFilters />
        <DecisionLog />
      </>
    )
    await screen.findByRole('listitem', { name: 'Decline o1@example.com' })
    const portal = screen.getByRole('combobox', { name: 'Filter decisions by portal' })
    await user.selectOptions(portal, screen.getByRole('option', { name: 'Staging (removed)' }))
    expect(screen.queryByRole('listitem', { name: 'Decline p1@example.com' })).toBeNull()
    expect(row('o1')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Export CSV' }))
    expect(keygate.callsTo('export:save')).toEqual([
      { what: 'decisions', format: 'csv', profileIds: ['old'] }
    ])
  })
})
