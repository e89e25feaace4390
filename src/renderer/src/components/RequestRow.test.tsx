// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { buildRow } from '../lib/request-rows'
import { testKeyRequest } from '../../../shared/testing/key-request'
import { RequestRow } from './RequestRow'

afterEach(cleanup)

function renderRow(
  item = testKeyRequest('r1', { fields: { company: 'Acme' } }),
  sla: { warnHours: number; breachHours: number } | null = null
) {
  render(
    <RequestRow
      row={buildRow(item)}
      index={0}
      setSize={1}
      start={0}
      selected={false}
      checked={false}
      now={Date.parse('2026-03-12T15:00:00Z')}
      sla={sla}
      profileLabel={null}
      queuedBadge={null}
      busy={undefined}
      onSelect={() => undefined}
      onPick={() => undefined}
    />
  )
  return screen.getByTestId('request-row')
}

describe('RequestRow', () => {
  it('shows a readable request by its developer and custom fields', () => {
    const row = renderRow()
    expect(row.textContent).toContain('r1@example.com')
    expect(row.textContent).toContain('company: Acme')
  })

  it('shows an unreadable request as such, with its id and what was wrong', () => {
    const row = renderRow(
      testKeyRequest('5e9d00000000000000000042', {
        developer: { id: '', email: null },
        fields: {},
        unreadable: 'approved Invalid input: expected boolean, received string'
      })
    )
    expect(row.textContent).toContain('Unreadable request 5e9d00000000000000000042')
    expect(row.textContent).toContain(
      'Keygate could not read it: approved Invalid input: expected boolean, received string'
    )
    expect(row.textContent).not.toContain('No custom fields')
  })

  it("shows one compact chip for its flags, every flag's sentence in the tooltip", () => {
    const row = renderRow(
      testKeyRequest('r2', {
        flags: [
          { kind: 'duplicate', text: 'Duplicate: 1 other pending request' },
          { kind: 'missing-policy', text: 'Policy pol-x no longer exists' }
        ]
      })
    )
    const chips = screen.getAllByTestId('flag-chip')
    expect(chips).toHaveLength(1)
    expect(chips[0]!.textContent).toBe('Duplicate +1')
    expect(chips[0]!.getAttribute('title')).toBe(
      'Duplicate: 1 other pending request\nPolicy pol-x no longer exists'
    )
    expect(row.textContent).toContain('Duplicate +1')
  })

  it('shows no chip without flags', () => {
    renderRow()
    expect(screen.queryByTestId('flag-chip')).toBeNull()
  })

  it("colours the age by the portal's SLA", () => {
    const item = testKeyRequest('r3', { createdAt: '2026-03-12T09:00:00Z' })
    renderRow(item, { warnHours: 2, breachHours: 5 })
    expect(screen.getByText('6 h ago').className).toContain('age-overdue')
    cleanup()
    renderRow(item, { warnHours: 24, breachHours: 72 })
    expect(screen.getByText('6 h ago').className).toContain('age-fresh')
  })
})
