import { useEffect, useRef, useState } from 'react'
import type { CredentialField, IssuedCredential } from '../../../shared/domain'
import type { AppError } from '../../../shared/result'
import { call } from '../api'
import { mustCopy, secretsOf } from '../lib/credential-secrets'
import { useKeysStore } from '../store/keys-store'
import { toast } from '../store/toast-store'
import { ConfirmLoseKey } from './ConfirmLoseKey'
import { CopyButton } from './CopyButton'
import { ErrorNotice } from './ErrorNotice'
import { Modal, ModalHeader } from './Modal'

type Reveal =
  | { phase: 'loading' }
  | { phase: 'ready'; credential: IssuedCredential }
  | { phase: 'error'; error: AppError }

function KeyDialogBody({ keyId }: { keyId: string }) {
  const notice = useKeysStore((state) => state.notices.find((candidate) => candidate.id === keyId))
  const close = useKeysStore((state) => state.close)
  // The credential lives in this component's state only, and goes when the dialog closes.
  const [reveal, setReveal] = useState<Reveal>({ phase: 'loading' })
  const [copied, setCopied] = useState<ReadonlySet<CredentialField>>(new Set())
  const [clearAfterSec, setClearAfterSec] = useState<number | null>(null)
  const [confirming, setConfirming] = useState(false)
  const firstCopy = useRef<HTMLButtonElement>(null)

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

  // Enter then copies instead of closing: the one keystroke that could lose the key.
  useEffect(() => {
    if (reveal.phase === 'ready') firstCopy.current?.focus()
  }, [reveal.phase])

  async function copy(field: CredentialField): Promise<boolean> {
    const result = await call((k) => k['keys:copy']({ keyId, field }))
    if (!result.ok) {
      toast('error', result.error.message)
      return false
    }
    setCopied((previous) => new Set(previous).add(field))
    setClearAfterSec(result.value.clearAfterSec)
    return true
  }

  function closeNow() {
    void close().then((problem) => {
      if (problem) toast('error', problem)
    })
  }

  // A failed reveal has nothing left to lose; otherwise the key is still held and uncopied.
  const unsaved =
    reveal.phase === 'loading' ||
    (reveal.phase === 'ready' && !copied.has(mustCopy(reveal.credential)))

  function requestClose() {
    if (unsaved) setConfirming(true)
    else closeNow()
  }

  const who = notice?.developerEmail
  return (
    <>
      <Modal label="Key issued" onClose={requestClose}>
        <ModalHeader title="Key issued" onClose={requestClose} />
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
              {secretsOf(reveal.credential).map((secret, index) => (
                <div className="credential-row" key={secret.field}>
                  <dt>{secret.label}</dt>
                  <dd>
                    <code
                      data-testid="credential-value"
                      data-credential-field={secret.field}
                      // A keyboard copy goes through main too, so it is concealed and cleared.
                      onCopy={(event) => {
                        event.preventDefault()
                        void copy(secret.field)
                      }}
                    >
                      {secret.value}
                    </code>
                    <CopyButton
                      ref={index === 0 ? firstCopy : undefined}
                      what={secret.label}
                      copy={() => copy(secret.field)}
                    />
                  </dd>
                </div>
              ))}
            </dl>
          )}
          {clearAfterSec !== null && (
            <p className="muted" role="status">
              {`Copied. Keygate clears the clipboard in ${clearAfterSec} s, and when it quits.`}
            </p>
          )}
          <div className="modal-actions">
            <button type="button" className="button primary" onClick={requestClose}>
              {reveal.phase === 'ready' ? 'I have copied it, close' : 'Close'}
            </button>
          </div>
        </div>
      </Modal>
      {confirming && <ConfirmLoseKey onKeep={() => setConfirming(false)} onLose={closeNow} />}
    </>
  )
}

/** The one place a credential is shown; closing it makes main forget the credential. */
export function KeyDialog() {
  const keyId = useKeysStore((state) => state.openKeyId)
  return keyId ? <KeyDialogBody key={keyId} keyId={keyId} /> : null
}
