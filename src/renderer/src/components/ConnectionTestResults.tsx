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
        {test.checks.map((check) => (
          <li key={check.name} className={check.ok ? 'check ok' : 'check failed'}>
            <span className="check-icon" aria-hidden="true">
              {check.ok ? '✓' : '✗'}
            </span>
            <span className="check-name">
              {checkLabels[check.name]}
              <span className="visually-hidden">{check.ok ? ': passed' : ': failed'}</span>
            </span>
            <span className="check-message">{check.message}</span>
          </li>
        ))}
      </ul>
    </div>
  )
}
