import { memo } from 'react'
import type { OutboxItem } from '../../../shared/domain'
import { decisionOutcome, type DecisionRow as Row } from '../lib/decision-rows'
import { clockTime, fullDate, parseTime, relativeTime } from '../lib/format'
import { actionLabels, outboxStateLabels } from '../lib/outbox-text'

interface DecisionRowProps {
  row: Row
  index: number
  setSize: number
  start: number
  now: number
  /** The portal's name in the merged log; null in a single portal's view. */
  profileLabel: string | null
  /** The decision's action while the outbox still holds it. */
  live: OutboxItem | undefined
  /** The virtualizer's measuring ref: a reason can wrap over several lines. */
  measure(element: HTMLElement | null): void
}

/** One decision: what, on whose request, why, who, when, and what became of it. */
export const DecisionRow = memo(function DecisionRow({
  row,
  index,
  setSize,
  start,
  now,
  profileLabel,
  live,
  measure
}: DecisionRowProps) {
  const { entry } = row
  const kind = actionLabels[entry.kind]
  const who = entry.developerEmail ?? 'Unknown developer'
  const decided = parseTime(entry.decidedAt)
  const outcome = decisionOutcome(entry, live)
  return (
    <div
      ref={measure}
      data-index={index}
      role="listitem"
      aria-label={`${kind} ${who}`}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      data-testid="decision-row"
      data-op-id={entry.opId}
      data-request-id={entry.requestId}
      className="decision-row"
      style={{ transform: `translateY(${start}px)` }}
    >
      <div className="row-line">
        <span className={`kind kind-${entry.kind}`}>{kind}</span>
        <span className="row-email">{who}</span>
        <time className="row-age" dateTime={entry.decidedAt} title={fullDate(entry.decidedAt)}>
          {decided === null
            ? 'unknown time'
            : `${clockTime(entry.decidedAt, now)} · ${relativeTime(decided, now)}`}
        </time>
      </div>
      <div className="row-line row-meta">
        <span>
          Request <span className="mono">{entry.requestId}</span>
        </span>
        <span className="muted">by {entry.by}</span>
        {profileLabel && <span className="tag">{profileLabel}</span>}
      </div>
      {(entry.catalogueName || (entry.policyNames?.length ?? 0) > 0) && (
        <div className="row-line row-meta" data-testid="decision-names">
          {entry.catalogueName && <span>{entry.catalogueName}</span>}
          {entry.policyNames && entry.policyNames.length > 0 && (
            <span className="muted">{entry.policyNames.join(', ')}</span>
          )}
        </div>
      )}
      {entry.kind === 'decline' && (
        <p className={entry.reason ? 'decision-reason' : 'decision-reason muted'}>
          {entry.reason ? `Reason: ${entry.reason}` : 'No reason given'}
        </p>
      )}
      <div className="decision-outcome">
        <span className={`state-chip state-${outcome.state}`}>
          {outboxStateLabels[outcome.state]}
        </span>
        <span className="muted">{outcome.words}</span>
      </div>
    </div>
  )
})
