import type { ExportFormat } from '../../../shared/domain'
import { exportFile } from '../lib/export-file'
import { ExportButtons } from './ExportButtons'
import { removedPortalLabel, type DecisionFilters as Filters } from '../lib/decision-rows'
import { useDecisionFiltersStore } from '../store/decision-filters-store'
import { useDecisionsStore } from '../store/decisions-store'
import { useNavStore } from '../store/nav-store'
import { useProfilesStore } from '../store/profiles-store'

const outcomes: { value: Filters['outcome']; label: string }[] = [
  { value: '', label: 'Any outcome' },
  { value: 'done', label: 'Done' },
  { value: 'waiting', label: 'Waiting to be sent' },
  { value: 'conflict', label: 'Conflict' },
  { value: 'failed', label: 'Failed' },
  { value: 'cancelled', label: 'Cancelled' }
]

interface DateFieldProps {
  label: string
  value: string
  bounds: { min?: string; max?: string }
  onChange(value: string): void
}

function DateField({ label, value, bounds, onChange }: DateFieldProps) {
  return (
    <label className="filter-date">
      <span>{label}</span>
      <input
        type="date"
        value={value}
        {...bounds}
        onChange={(event) => onChange(event.target.value)}
      />
    </label>
  )
}

/** The decision log's portal, date-range and outcome filters, and its export. */
export function DecisionFilters() {
  const filters = useDecisionFiltersStore((state) => state.filters)
  const setFilters = useDecisionFiltersStore((state) => state.set)
  const viewProfile = useNavStore((state) => state.profileId)
  const profiles = useProfilesStore((state) => state.profiles)
  const removed = useDecisionsStore((state) => state.removed)
  const portal = viewProfile ?? (filters.profileId || null)
  const save = (format: ExportFormat) =>
    void exportFile({
      what: 'decisions',
      format,
      ...(portal ? { profileIds: [portal] } : {}),
      ...(filters.from ? { from: filters.from } : {}),
      ...(filters.to ? { to: filters.to } : {})
    })
  return (
    <div className="filter-menus" role="group" aria-label="Decision filters">
      {viewProfile === null && (
        <select
          className="filter-select"
          aria-label="Filter decisions by portal"
          value={filters.profileId}
          onChange={(event) => setFilters({ profileId: event.target.value })}
        >
          <option value="">All portals</option>
          {profiles.map((profile) => (
            <option key={profile.id} value={profile.id}>
              {profile.name}
            </option>
          ))}
          {removed.length > 0 && (
            <optgroup label="Removed portals">
              {removed.map((portal) => (
                <option key={portal.profileId} value={portal.profileId}>
                  {removedPortalLabel(portal.name)}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      )}
      <DateField
        label="From (UTC)"
        value={filters.from}
        bounds={{ max: filters.to || undefined }}
        onChange={(from) => setFilters({ from })}
      />
      <DateField
        label="To (UTC)"
        value={filters.to}
        bounds={{ min: filters.from || undefined }}
        onChange={(to) => setFilters({ to })}
      />
      <select
        className="filter-select"
        aria-label="Filter decisions by outcome"
        value={filters.outcome}
        onChange={(event) => setFilters({ outcome: event.target.value as Filters['outcome'] })}
      >
        {outcomes.map((outcome) => (
          <option key={outcome.value} value={outcome.value}>
            {outcome.label}
          </option>
        ))}
      </select>
      <ExportButtons onExport={save} />
    </div>
  )
}
