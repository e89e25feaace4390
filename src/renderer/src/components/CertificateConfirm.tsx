import { useEffect, useRef } from 'react'
import type { ServerCertificate } from '../../../shared/domain'

/**
 * The certificate Test connection could not trust, for the admin to compare with the fingerprint
 * the Dashboard's operator gives them and, if it matches, to trust exactly that certificate.
 */
export function CertificateConfirm({
  certificate,
  onTrust
}: {
  certificate: ServerCertificate
  onTrust: (sha256: string) => void
}) {
  const changed = certificate.changedFrom !== null
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' })
  }, [certificate])
  return (
    <div
      ref={box}
      className={changed ? 'notice notice-danger' : 'notice notice-warning'}
      role="alert"
    >
      <strong>
        {changed
          ? 'The Dashboard’s certificate changed'
          : 'Keygate cannot verify this Dashboard’s certificate'}
      </strong>
      <span>
        {changed
          ? 'This profile trusts another certificate. Trust the new one only if the Dashboard’s operator confirms it was renewed: someone on the network path could be posing as the Dashboard.'
          : 'Compare its SHA-256 fingerprint with the one the Dashboard’s operator gives you. If they match, trust exactly this certificate for this profile; any other will be refused.'}
      </span>
      <dl className="certificate">
        {changed && (
          <>
            <dt>Trusted until now</dt>
            <dd className="mono" data-testid="certificate-previous">
              {certificate.changedFrom}
            </dd>
          </>
        )}
        <dt>SHA-256 fingerprint</dt>
        <dd className="mono" data-testid="certificate-fingerprint">
          {certificate.sha256}
        </dd>
        <dt>Issued to</dt>
        <dd>{certificate.subject || '—'}</dd>
        <dt>Issued by</dt>
        <dd>{certificate.issuer || '—'}</dd>
        <dt>Valid until</dt>
        <dd>{certificate.validTo}</dd>
      </dl>
      <div className="notice-actions">
        <button type="button" className="button" onClick={() => onTrust(certificate.sha256)}>
          The fingerprint matches: trust this certificate
        </button>
      </div>
    </div>
  )
}
