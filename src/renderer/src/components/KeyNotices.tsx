import type { KeyNotice } from '../../../shared/domain'
import { rowKey } from '../lib/request-rows'
import { useBulkStore } from '../store/bulk-store'
import { useKeysStore } from '../store/keys-store'
import { useNavStore } from '../store/nav-store'
import { toast } from '../store/toast-store'
import { useTriageStore } from '../store/triage-store'

const SHOWN = 3

/** "dev@example.com / Payments API", as far as the portal told. */
function subject(notice: KeyNotice): string {
  const who = notice.developerEmail ?? 'a developer'
  return notice.catalogueName ? `${who} / ${notice.catalogueName}` : who
}

function ReadyNotice({ notice }: { notice: KeyNotice }) {
  const open = useKeysStore((state) => state.open)
  return (
    <div className="key-notice">
      <div>
        <strong>{`Key ready for ${subject(notice)}`}</strong>
        <span>Shown once. Unrevealed keys are dropped after 10 minutes.</span>
      </div>
      <button
        type="button"
        className="button primary small"
        aria-label={`Reveal key for ${notice.developerEmail ?? 'a developer'}`}
        onClick={() => open(notice.id)}
      >
        Reveal
      </button>
    </div>
  )
}

function ExpiredNotice({ notice }: { notice: KeyNotice }) {
  const discard = useKeysStore((state) => state.discard)
  return (
    <div className="key-notice key-notice-expired" role="alert">
      <div>
        <strong>Key dropped</strong>
        <span>
          {`The key for ${subject(notice)} was not revealed within 10 minutes and has been dropped: revoke and re-issue it on the Dashboard.`}
        </span>
      </div>
      <button
        type="button"
        className="button small"
        aria-label={`Dismiss the notice about ${notice.developerEmail ?? 'a developer'}`}
        onClick={() => {
          void discard(notice.id).then((problem) => {
            if (problem) toast('error', problem)
          })
        }}
      >
        Dismiss
      </button>
    </div>
  )
}

/**
 * Keys waiting to be shown once: from background approvals, and from approvals that returned
 * after the admin had moved on to another request. Also says when one was dropped unrevealed.
 */
export function KeyNotices() {
  const notices = useKeysStore((state) => state.notices)
  const openKeyId = useKeysStore((state) => state.openKeyId)
  const dismissed = useKeysStore((state) => state.dismissed)
  // Out of the way while a dialog is up; they come back when it closes.
  const dialogOpen = useNavStore((state) => state.dialog !== null)
  // An approval still in flight here decides itself where its key shows.
  const busy = useTriageStore((state) => state.busy)
  // A bulk approve's keys wait together in "Keys from this batch", not one notice each.
  const batchKeys = useBulkStore((state) => state.batch?.keys)
  const waiting = notices.filter((notice) => {
    const key = rowKey(notice.profileId, notice.requestId)
    return !dismissed.has(notice.id) && !busy[key] && !batchKeys?.has(key)
  })
  if (dialogOpen || openKeyId !== null || waiting.length === 0) return null
  return (
    <section className="key-notices" aria-label="Keys ready">
      {waiting
        .slice(0, SHOWN)
        .map((notice) =>
          notice.status === 'expired' ? (
            <ExpiredNotice key={notice.id} notice={notice} />
          ) : (
            <ReadyNotice key={notice.id} notice={notice} />
          )
        )}
      {waiting.length > SHOWN && (
        <p className="key-notice-more">{`${waiting.length - SHOWN} more keys ready`}</p>
      )}
    </section>
  )
}
