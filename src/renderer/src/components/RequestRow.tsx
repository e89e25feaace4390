import { memo, useMemo } from 'react'
import type { ActionKind } from '../../../shared/domain'
import { ageLevel, fullDate, parseTime, relativeTime } from '../lib/format'
import {
  catalogueText,
  fieldsText,
  policiesText,
  type RequestRef,
  type RequestRow as Row
} from '../lib/request-rows'

export const ROW_HEIGHT = 76

interface RequestRowProps {
  row: Row
  index: number
  setSize: number
  start: number
  selected: boolean
  /** Picked for a bulk decision. */
  checked: boolean
  now: number
  /** Colour ages by SLA (pending only: approved requests are not waiting). */
  slaColours: boolean
  /** The portal's name in the merged inbox; null in a single portal's view. */
  profileLabel: string | null
  queuedBadge: string | null
  busy: ActionKind | undefined
  onSelect(ref: RequestRef): void
  /** Shift-click (range) or Ctrl/Cmd-click (toggle) picks rows instead of opening one. */
  onPick(ref: RequestRef, how: 'range' | 'toggle'): void
}

/** One request in the list; only rows in view exist, so their text is derived here. */
export const RequestRow = memo(function RequestRow({
  row,
  index,
  setSize,
  start,
  selected,
  checked,
  now,
  slaColours,
  profileLabel,
  queuedBadge,
  busy,
  onSelect,
  onPick
}: RequestRowProps) {
  const { item } = row
  const text = useMemo(
    () => ({
      created: parseTime(item.createdAt),
      catalogue: catalogueText(item),
      policies: policiesText(item.policies),
      fields: fieldsText(item.fields)
    }),
    [item]
  )
  const email = item.unreadable
    ? `Unreadable request ${item.id}`
    : (item.developer.email ?? `Developer ${item.developer.id}`)
  const fields = item.unreadable
    ? `Keygate could not read it: ${item.unreadable}`
    : text.fields || 'No custom fields'
  const age = text.created === null ? 'date unknown' : relativeTime(text.created, now)
  const level = slaColours && text.created !== null ? ageLevel(text.created, now) : 'fresh'
  return (
    <div
      id={`request-option-${index}`}
      role="option"
      aria-selected={selected}
      aria-checked={checked}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      data-testid="request-row"
      data-request-id={item.id}
      data-profile-id={item.profileId}
      className={`request-row${selected ? ' selected' : ''}${checked ? ' checked' : ''}`}
      style={{ height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      onClick={(event) => {
        const ref = { profileId: item.profileId, requestId: item.id }
        if (event.shiftKey) onPick(ref, 'range')
        else if (event.ctrlKey || event.metaKey) onPick(ref, 'toggle')
        else onSelect(ref)
      }}
    >
      <div className="row-line">
        {checked && (
          <span className="row-check" aria-hidden="true">
            ✓
          </span>
        )}
        <span className="row-email" title={email}>
          {email}
        </span>
        {busy && (
          <span className="badge badge-busy">
            {busy === 'approve' ? 'approving…' : 'declining…'}
          </span>
        )}
        {!busy && queuedBadge && <span className="badge badge-queued">{queuedBadge}</span>}
        <span className={`row-age age-${level}`} title={fullDate(item.createdAt)}>
          {age}
        </span>
      </div>
      <div className="row-line row-meta">
        <span className="row-catalogue" title={text.catalogue}>
          {text.catalogue}
        </span>
        <span className="row-policies" title={text.policies}>
          {text.policies}
        </span>
        {profileLabel && (
          <span className="tag row-portal" title={profileLabel}>
            {profileLabel}
          </span>
        )}
      </div>
      <div className="row-fields" title={fields}>
        {fields}
      </div>
    </div>
  )
})
