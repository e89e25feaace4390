import { useEffect, useRef, type ReactNode } from 'react'
import type { KeyRequest, RequestDetail } from '../../../shared/domain'
import { useNow } from '../hooks/use-now'
import { flagLabels } from '../lib/flags'
import { fullDate, parseTime, relativeTime } from '../lib/format'
import { isNarrowLayout } from '../lib/layout'
import {
  actionLabels,
  currentQueued,
  isActive,
  outboxStateLabels,
  queuedBadge,
  type QueuedAction
} from '../lib/outbox-text'
import { refKey, policyLabel } from '../lib/request-rows'
import { useDetailStore } from '../store/detail-store'
import { useNavStore } from '../store/nav-store'
import { useOutboxStore } from '../store/outbox-store'
import { profileName, useProfilesStore } from '../store/profiles-store'
import { useRequestsStore } from '../store/requests-store'
import { useTriageStore } from '../store/triage-store'
import { ErrorNotice } from './ErrorNotice'

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  )
}

const none = <span className="muted">None</span>

/** What to know before deciding: each flag in a sentence. */
function Flags({ request }: { request: KeyRequest }) {
  const flags = request.flags ?? []
  if (flags.length === 0) return null
  return (
    <ul className="flag-list" aria-label="Flags" data-testid="detail-flags">
      {flags.map((flag) => (
        <li key={flag.kind} className={`flag-item flag-${flag.kind}`}>
          <span className={`badge badge-flag flag-${flag.kind}`}>{flagLabels[flag.kind]}</span>{' '}
          {flag.text}
        </li>
      ))}
    </ul>
  )
}

/** The policies the developer already holds, named and dated (never a key). */
function Subscriptions({ detail }: { detail: RequestDetail | null }) {
  const subscriptions = detail?.subscriptions
  if (subscriptions === undefined) return null
  return (
    <>
      <h3 className="section-title">Already holds</h3>
      {subscriptions.length === 0 ? (
        <p className="muted">No access to any policy on this portal yet.</p>
      ) : (
        <ul className="plain-list" data-testid="subscriptions">
          {subscriptions.map((item) => (
            <li key={item.policyId}>
              {item.policyName ?? <span className="mono">{item.policyId}</span>}
              <span className="muted">
                {item.since ? ` · since ${fullDate(item.since)}` : ' · date not known'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

function Facts({ request, raw }: { request: KeyRequest; raw: RequestDetail['raw'] | null }) {
  const now = useNow()
  const profiles = useProfilesStore((state) => state.profiles)
  const created = parseTime(request.createdAt)
  const fields = Object.entries(request.fields)
  return (
    <>
      <dl className="facts">
        <Field label="Developer">
          {request.developer.email ?? <span className="muted">No email</span>}
          <div className="muted mono">{request.developer.id}</div>
        </Field>
        <Field label="Requested">
          {created === null ? (
            <span className="muted">Unknown</span>
          ) : (
            <>
              {fullDate(request.createdAt)}{' '}
              <span className="muted">({relativeTime(created, now)})</span>
            </>
          )}
        </Field>
        <Field label="Portal">{profileName(profiles, request.profileId)}</Field>
        <Field label="Catalogue entries">
          {request.catalogues.length === 0 && !request.catalogue ? (
            none
          ) : (
            <ul className="plain-list">
              {(request.catalogues.length > 0 ? request.catalogues : [request.catalogue!]).map(
                (entry, index) => (
                  <li key={`${entry.name}-${index}`}>
                    {entry.name}
                    {entry.authType && <span className="tag">{entry.authType}</span>}
                  </li>
                )
              )}
            </ul>
          )}
        </Field>
        <Field label="Policies">
          {request.policies.length === 0 ? (
            none
          ) : (
            <ul className="plain-list">
              {request.policies.map((policy) => (
                <li key={policy.id}>
                  {policyLabel(policy)}
                  {policy.name !== null && <span className="muted mono"> {policy.id}</span>}
                </li>
              ))}
            </ul>
          )}
        </Field>
        {request.details.forApi && <Field label="For API">{request.details.forApi}</Field>}
        <Field label="Version">{request.details.version ?? none}</Field>
        {request.details.legacy && (
          <Field label="Legacy request">
            Made before Dashboard 1.9: it names a plan (<code>for_plan</code>) rather than policies.
          </Field>
        )}
        {request.details.oauthRedirectUri && (
          <Field label="OAuth redirect URI">
            <span className="mono break">{request.details.oauthRedirectUri}</span>
          </Field>
        )}
        <Field label="Request ID">
          <span className="mono">{request.id}</span>
        </Field>
      </dl>
      <h3 className="section-title">Custom fields</h3>
      {fields.length === 0 ? (
        <p className="muted">The developer filled in no custom fields.</p>
      ) : (
        <table className="fields-table">
          <tbody>
            {fields.map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {raw && (
        <details className="raw-json">
          <summary>Raw JSON from the Dashboard</summary>
          <pre>{JSON.stringify(raw, null, 2)}</pre>
        </details>
      )}
    </>
  )
}

function QueuedNote({ queued }: { queued: QueuedAction | null }) {
  const byOp = useOutboxStore((state) => state.byOp)
  if (!queued) return null
  const item = byOp.get(queued.opId)
  return (
    <div className="queued-note" role="status">
      <strong>{queuedBadge(queued.kind, queued.state) ?? outboxStateLabels[queued.state]}</strong>
      <span>
        {actionLabels[queued.kind]} · {outboxStateLabels[queued.state]}
        {item ? ` · ${item.attempts} ${item.attempts === 1 ? 'attempt' : 'attempts'}` : ''}
      </span>
      {item?.lastError && <span className="error-text">{item.lastError.message}</span>}
    </div>
  )
}

/** Everything the selected request carries, with Approve and Decline. */
export function DetailPane() {
  const selected = useNavStore((state) => state.selected)
  const openDialog = useNavStore((state) => state.openDialog)
  const detailOpen = useNavStore((state) => state.detailOpen)
  const closeDetail = useNavStore((state) => state.closeDetail)
  const pane = useRef<HTMLElement>(null)
  const selectedKey = selected ? refKey(selected) : null
  const row = useRequestsStore((state) =>
    selectedKey === null ? undefined : state.rows.find((candidate) => candidate.key === selectedKey)
  )
  const { key, phase, detail, error, load, clear } = useDetailStore()
  const byOp = useOutboxStore((state) => state.byOp)
  const busy = useTriageStore((state) => (selectedKey ? state.busy[selectedKey] : undefined))
  const approve = useTriageStore((state) => state.approve)

  const listReady = useRequestsStore((state) => state.phase === 'ready')
  const inList = row !== undefined
  useEffect(() => {
    // Also re-read when the request drops out of the list: it was decided, here or elsewhere.
    if (selected) void load(selected)
    else clear()
  }, [selected, inList, load, clear])
  const portalOnline = useProfilesStore(
    (state) =>
      state.profiles.find((profile) => profile.id === selected?.profileId)?.connectivity.state ===
      'online'
  )
  const transientFailure = phase === 'error' && key === selectedKey && error?.retryable === true
  useEffect(() => {
    // Read again once the portal answers: nothing else retries a detail that failed offline.
    if (selected && transientFailure && portalOnline) void load(selected)
  }, [selected, transientFailure, portalOnline, load])

  useEffect(() => {
    // Narrow, the detail replaces the list on screen: focus follows it there.
    if (detailOpen && selectedKey !== null && isNarrowLayout()) pane.current?.focus()
  }, [detailOpen, selectedKey])

  if (!selected) {
    return (
      <aside className="detail-pane empty" aria-label="Request details">
        <div className="detail-placeholder">
          <p>Select a request to see everything it carries.</p>
          <p className="hint">
            <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>a</kbd> approve · <kbd>d</kbd> decline ·{' '}
            <kbd>/</kbd> search · <kbd>?</kbd> all shortcuts
          </p>
        </div>
      </aside>
    )
  }

  const fresh = key === selectedKey ? detail : null
  const request: KeyRequest | null = fresh ?? row?.item ?? null
  // The list row carries the freshest overlay (patched on action, reloaded on push).
  const queued = request ? currentQueued(row?.item.queued ?? request.queued, byOp) : null
  // Only what is in the pending list on screen can be acted on; anything else is stale.
  const gone = listReady && !inList && request !== null && !request.approved
  const actionable =
    request !== null && inList && !request.approved && !(queued && isActive(queued.state))

  return (
    <aside className="detail-pane" aria-label="Request details" ref={pane} tabIndex={-1}>
      <button type="button" className="button small back-button" onClick={closeDetail}>
        <span aria-hidden="true">←</span> Back to the list
      </button>
      {request ? (
        <>
          <header className="detail-header">
            <div>
              <h2>{request.developer.email ?? `Developer ${request.developer.id}`}</h2>
              <p className="muted">
                {request.catalogue?.name ??
                  request.catalogues[0]?.name ??
                  request.details.forApi ??
                  ''}
              </p>
            </div>
            <span className={request.approved ? 'status-chip approved' : 'status-chip pending'}>
              {request.approved ? 'Approved' : 'Pending'}
            </span>
          </header>
          {!request.approved && (
            <div className="detail-actions">
              <button
                type="button"
                className="button approve"
                disabled={!actionable || busy !== undefined}
                onClick={() => void approve(selected)}
              >
                {busy === 'approve' ? 'Approving…' : 'Approve'}
              </button>
              <button
                type="button"
                className="button danger"
                disabled={!actionable || busy !== undefined}
                onClick={() => openDialog({ kind: 'decline', ref: selected })}
              >
                {busy === 'decline' ? 'Declining…' : 'Decline…'}
              </button>
            </div>
          )}
          {gone && (
            <p className="notice notice-warning" role="status">
              This request is no longer in the pending list: it was decided or removed.
            </p>
          )}
          <QueuedNote queued={queued} />
          {phase === 'error' && error && key === selectedKey && (
            <ErrorNotice error={error} onRetry={() => void load(selected)} compact />
          )}
          <Flags request={fresh ?? request} />
          <Subscriptions detail={fresh} />
          <Facts request={request} raw={fresh?.raw ?? null} />
          {phase === 'loading' && !fresh && <p className="muted">Loading the full request…</p>}
        </>
      ) : phase === 'error' && error ? (
        <ErrorNotice error={error} onRetry={() => void load(selected)} />
      ) : (
        <div className="list-state" role="status">
          <span className="spinner" aria-hidden="true" />
          Loading the request…
        </div>
      )}
    </aside>
  )
}
