import type { ConnectivityState } from '../../../shared/domain'

export const connectivityLabels: Record<ConnectivityState, string> = {
  unknown: 'Not checked yet',
  online: 'Online',
  offline: 'Offline',
  'auth-problem': 'API key problem',
  degraded: 'Degraded'
}

export function ConnectivityDot({ state }: { state: ConnectivityState }) {
  return (
    <span className={`dot dot-${state}`} title={connectivityLabels[state]}>
      <span className="visually-hidden">{connectivityLabels[state]}</span>
    </span>
  )
}
