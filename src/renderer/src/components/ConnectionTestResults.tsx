import { useEffect, useRef } from 'react'
import type { ConnectionCheckName, ConnectionTest } from '../../../shared/domain'

const checkLabels: Record<ConnectionCheckName, string> = {
  reach: 'Dashboard reachable',
  tls: 'TLS certificate',
  auth: 'API key accepted',
  permission: 'Portal permission',
  write: 'Write permission',
  policies: 'Policies readable'
}

const verdictIcons = { ok: '✓', warning: '!', failed: '✗' } as const
const verdictWords = { ok: ': passed', warning: ': warning', failed: ': failed' } as const

export function ConnectionTestResults({ test }: { test: ConnectionTest }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' })
  }, [test])
  return (
    <div ref={box} className={test.ok ? 'test-results ok' : 'test-results failed'}>
      <p className="test-summary" role="status">
        {test.ok ? 'Connection works' : 'Connection test failed'}
        {test.latencyMs !== null && <span className="muted"> · {test.latencyMs} ms</span>}
        {test.pendingCount !== null && (
          <span className="muted"> · {test.pendingCount} pending requests</span>
        )}
      </p>
      <ul className="checks" aria-label="Connection checks">
        {test.checks.map((check) => {
          const verdict = check.ok ? 'ok' : check.warning ? 'warning' : 'failed'
          return (
            <li key={check.name} className={`check ${verdict}`}>
              <span className="check-icon" aria-hidden="true">
                {verdictIcons[verdict]}
              </span>
              <span className="check-name">
                {checkLabels[check.name]}
                <span className="visually-hidden">{verdictWords[verdict]}</span>
              </span>
              <span className="check-message">{check.message}</span>
            </li>
          )
        })}
      </ul>
    </div>
  )
}
