import { rowKey } from '../lib/request-rows'
import { useKeysStore } from '../store/keys-store'
import { useNavStore } from '../store/nav-store'
import { useTriageStore } from '../store/triage-store'

const SHOWN = 3

/** "Key ready" cards for credentials issued by background approvals, waiting to be shown once. */
export function KeyNotices() {
  const notices = useKeysStore((state) => state.notices)
  const openKeyId = useKeysStore((state) => state.openKeyId)
  const dismissed = useKeysStore((state) => state.dismissed)
  const open = useKeysStore((state) => state.open)
  // Out of the way while a dialog is up; they come back when it closes.
  const dialogOpen = useNavStore((state) => state.dialog !== null)
  // An approval still in flight here opens its own dialog when it returns.
  const busy = useTriageStore((state) => state.busy)
  const waiting = notices.filter(
    (notice) => !dismissed.has(notice.id) && !busy[rowKey(notice.profileId, notice.requestId)]
  )
  if (dialogOpen || openKeyId !== null || waiting.length === 0) return null
  return (
    <section className="key-notices" aria-label="Keys ready">
      {waiting.slice(0, SHOWN).map((notice) => {
        const who = notice.developerEmail ?? 'a developer'
        return (
          <div key={notice.id} className="key-notice">
            <div>
              <strong>Key ready</strong>
              <span>
                {who}
                {notice.catalogueName ? ` · ${notice.catalogueName}` : ''}
              </span>
            </div>
            <button
              type="button"
              className="button primary small"
              aria-label={`Show key for ${who}`}
              onClick={() => open(notice.id)}
            >
              Show key
            </button>
          </div>
        )
      })}
      {waiting.length > SHOWN && (
        <p className="key-notice-more">{`${waiting.length - SHOWN} more keys ready`}</p>
      )}
    </section>
  )
}
