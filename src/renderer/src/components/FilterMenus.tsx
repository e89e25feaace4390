import { useMemo } from 'react'
import type { ExportFormat } from '../../../shared/domain'
import { exportFile } from '../lib/export-file'
import { ExportButtons } from './ExportButtons'
import { fieldValue, flagFilterOptions, withField } from '../lib/request-query'
import { policyLabel } from '../lib/request-rows'
import { useNavStore } from '../store/nav-store'
import { useProfilesStore } from '../store/profiles-store'
import { useRequestsStore } from '../store/requests-store'

const ageOptions = [
  { value: '<1d', label: 'Under a day' },
  { value: '>1d', label: 'Over a day' },
  { value: '>3d', label: 'Over 3 days' },
  { value: '>7d', label: 'Over a week' },
  { value: '>30d', label: 'Over 30 days' }
]

interface MenuProps {
  field: string
  label: string
  anyLabel: string
  options: { value: string; label: string }[]
}

/** One filter: writes `field:value` into the search query, so typed syntax and menus agree. */
function Menu({ field, label, anyLabel, options }: MenuProps) {
  const query = useRequestsStore((state) => state.query)
  const setQuery = useRequestsStore((state) => state.setQuery)
  const current = fieldValue(query, field)
  const known = options.some((option) => option.value.toLowerCase() === current.toLowerCase())
  return (
    <select
      className="filter-select"
      aria-label={label}
      data-testid={`filter-${field}`}
      value={
        known
          ? options.find((o) => o.value.toLowerCase() === current.toLowerCase())!.value
          : current
      }
      onChange={(event) => setQuery(withField(query, field, event.target.value || null))}
    >
      <option value="">{anyLabel}</option>
      {!known && current && <option value={current}>{current}</option>}
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  )
}

const sortedOptions = (values: Iterable<string>) =>
  [...new Set(values)]
    .filter(Boolean)
    .sort((a, b) => a.localeCompare(b))
    .map((value) => ({ value, label: value }))

/** Filter menus for portal, policy, catalogue entry, age and flag over the request list. */
export function FilterMenus() {
  const rows = useRequestsStore((state) => state.rows)
  const merged = useNavStore((state) => state.profileId === null)
  const pendingTab = useNavStore((state) => state.tab === 'pending')
  const profiles = useProfilesStore((state) => state.profiles)
  const viewProfile = useNavStore((state) => state.profileId)
  const save = (format: ExportFormat) =>
    void exportFile({
      what: 'pending',
      format,
      ...(viewProfile ? { profileIds: [viewProfile] } : {})
    })
  const policies = useMemo(
    () => sortedOptions(rows.flatMap((row) => row.item.policies.map(policyLabel))),
    [rows]
  )
  const catalogues = useMemo(
    () => sortedOptions(rows.map((row) => row.item.catalogue?.name ?? '')),
    [rows]
  )
  return (
    <div className="filter-menus" role="group" aria-label="Filters">
      {merged && (
        <Menu
          field="portal"
          label="Filter by portal"
          anyLabel="All portals"
          options={sortedOptions(profiles.map((profile) => profile.name))}
        />
      )}
      <Menu field="policy" label="Filter by policy" anyLabel="All policies" options={policies} />
      <Menu
        field="catalogue"
        label="Filter by catalogue entry"
        anyLabel="All catalogue entries"
        options={catalogues}
      />
      <Menu field="age" label="Filter by age" anyLabel="Any age" options={ageOptions} />
      {pendingTab && (
        <>
          <Menu
            field="flag"
            label="Filter by flag"
            anyLabel="Any or no flag"
            options={flagFilterOptions}
          />
          <ExportButtons onExport={save} />
        </>
      )}
    </div>
  )
}
