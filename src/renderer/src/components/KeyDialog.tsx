import { useEffect, useState } from 'react'
import type { IssuedCredential } from '../../../shared/domain'
import type { AppError } from '../../../shared/result'
import { call } from '../api'
import { useKeysStore } from '../store/keys-store'
import { toast } from '../store/toast-store'
import { CopyButton } from './CopyButton'
import { ErrorNotice } from './ErrorNotice'
import { Modal, ModalHeader } from './Modal'

interface Secret {
  field: string
  label: string
  value: string
}

function secretsOf(credential: IssuedCredential): Secret[] {
  switch (credential.kind) {
    case 'key':
      return [{ field: 'rawKey', label: 'API key', value: credential.rawKey }]
    case 'basic':
      return [
        { field: 'username', label: 'Username', value: credential.username },
        { field: 'password', label: 'Password', value: credential.password }
      ]
    case 'oauth':
      return [
        { field: 'clientId', label: 'OAuth client ID', value: credential.clientId },
        { field: 'secret', label: 'OAuth client secret', value: credential.secret },
        ...(credential.redirectUri
          ? [{ field: 'redirectUri', label: 'Redirect URI', value: credential.redirectUri }]
          : []),
        ...(credential.policyId
          ? [{ field: 'policyId', label: 'Policy', value: credential.policyId }]
          : [])
      ]
  }
}

type Reveal =
  | { phase: 'loading' }
  | { phase: 'ready'; credential: IssuedCredential }
  | { phase: 'error'; error: AppError }

function KeyDialogBody({ keyId }: { keyId: string }) {
  const notice = useKeysStore((state) => state.notices.find((candidate) => candidate.id === keyId))
  const close = useKeysStore((state) => state.close)
  // The credential lives in this component's state only, and goes when the dialog closes.
  const [reveal, setReveal] = useState<Reveal>({ phase: 'loading' })

  useEffect(() => {
    let live = true
    void call((k) => k['keys:reveal']({ keyId })).then((result) => {
      if (!live) return
      setReveal(
        result.ok
          ? { phase: 'ready', credential: result.value }
          : { phase: 'error', error: result.error }
      )
    })
    return () => {
      live = false
    }
  }, [keyId])

  function onClose() {
    void close().then((problem) => {
      if (problem) toast('error', problem)
    })
  }

  const who = notice?.developerEmail
  return (
    <Modal label="Key issued" onClose={onClose}>
      <ModalHeader title="Key issued" onClose={onClose} />
      <div className="modal-body">
        <p>
          {who ? (
            <>
              The portal issued this credential for <strong>{who}</strong>
              {notice?.catalogueName ? <> ({notice.catalogueName})</> : null}.
            </>
          ) : (
            'The portal issued this credential.'
          )}
        </p>
        <div className="once-note" role="note">
          <strong>Shown only once: Keygate does not keep this key. Copy it now.</strong>
          <span>
            The developer also receives it from the portal. If the Dashboard’s detailed audit
            recording is on, its audit log may contain it too.
          </span>
        </div>
        {reveal.phase === 'loading' && (
          <p className="muted" role="status">
            Fetching the credential…
          </p>
        )}
        {reveal.phase === 'error' && <ErrorNotice error={reveal.error} />}
        {reveal.phase === 'ready' && (
          <dl className="credential">
            {secretsOf(reveal.credential).map((secret) => (
              <div className="credential-row" key={secret.field}>
                <dt>{secret.label}</dt>
                <dd>
                  <code data-testid="credential-value" data-credential-field={secret.field}>
                    {secret.value}
                  </code>
                  <CopyButton value={secret.value} what={secret.label} />
                </dd>
              </div>
            ))}
          </dl>
        )}
        <div className="modal-actions">
          <button type="button" className="button primary" onClick={onClose}>
            {reveal.phase === 'ready' ? 'I have copied it, close' : 'Close'}
          </button>
        </div>
      </div>
    </Modal>
  )
}

/** The one place a credential is shown; closing it makes main forget the credential. */
export function KeyDialog() {
  const keyId = useKeysStore((state) => state.openKeyId)
  return keyId ? <KeyDialogBody key={keyId} keyId={keyId} /> : null
}
