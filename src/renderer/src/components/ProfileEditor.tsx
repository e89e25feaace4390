import { useEffect, useRef, useState, type ReactNode } from 'react'
import {
  DEFAULT_SLA,
  type ConnectionTest,
  type ProfileDeleteResult,
  type ProfileSummary
} from '../../../shared/domain'
import { profileInputSchema, profilePatchSchema, type ProfileInput } from '../../../shared/ipc'
import type { AppError } from '../../../shared/result'
import { call } from '../api'
import {
  fieldErrorsFromAppError,
  fieldErrorsFromIssues,
  type FieldErrors
} from '../lib/field-errors'
import { isPlainHttp, keyNeededReason } from '../lib/key-needed'
import { useNavStore } from '../store/nav-store'
import { useProfilesStore } from '../store/profiles-store'
import { useRequestsStore } from '../store/requests-store'
import { toast } from '../store/toast-store'
import { CertificateConfirm } from './CertificateConfirm'
import { ConnectionTestResults } from './ConnectionTestResults'
import { ErrorNotice } from './ErrorNotice'
import { Modal, ModalHeader } from './Modal'

const fieldNames = [
  'name',
  'baseUrl',
  'secret',
  'customCa',
  'pollIntervalSec',
  'slaWarnHours',
  'slaBreachHours'
] as const
type FieldName = (typeof fieldNames)[number]

interface Form {
  name: string
  baseUrl: string
  secret: string
  customCa: string
  pinnedSha256: string | null
  allowHttp: boolean
  pollIntervalSec: string
  notifications: boolean
  sessionOnly: boolean
  slaWarnHours: string
  slaBreachHours: string
}

const DEFAULT_POLL_SEC = 60
const pollMessage = 'Poll every 10 to 3600 seconds (a whole number)'

function initialForm(profile: ProfileSummary | undefined, keychainDown: boolean): Form {
  return {
    name: profile?.name ?? '',
    baseUrl: profile?.baseUrl ?? '',
    secret: '',
    customCa: profile?.customCa ?? '',
    pinnedSha256: profile?.pinnedSha256 ?? null,
    allowHttp: profile?.allowHttp ?? false,
    pollIntervalSec: String(profile?.pollIntervalSec ?? DEFAULT_POLL_SEC),
    notifications: profile?.notifications ?? true,
    slaWarnHours: String(profile?.slaWarnHours ?? DEFAULT_SLA.warnHours),
    slaBreachHours: String(profile?.slaBreachHours ?? DEFAULT_SLA.breachHours),
    sessionOnly: profile ? profile.secretStorage === 'session' : keychainDown
  }
}

function fieldsOf(form: Form) {
  const poll = form.pollIntervalSec.trim()
  const hours = (text: string) => (text.trim() === '' ? undefined : Number(text.trim()))
  return {
    slaWarnHours: hours(form.slaWarnHours),
    slaBreachHours: hours(form.slaBreachHours),
    name: form.name,
    baseUrl: form.baseUrl,
    customCa: form.customCa.trim() ? form.customCa : null,
    pinnedSha256: form.pinnedSha256,
    allowHttp: form.allowHttp,
    pollIntervalSec: poll === '' ? undefined : Number(poll),
    notifications: form.notifications
  }
}

const slaMessage = 'A whole number of hours, 1 to 8760'

function friendly(errors: FieldErrors<FieldName>): FieldErrors<FieldName> {
  return errors.pollIntervalSec ? { ...errors, pollIntervalSec: pollMessage } : errors
}

/** The form's own check: zod's words for a number out of range, said for these fields. */
function friendlyIssues(errors: FieldErrors<FieldName>): FieldErrors<FieldName> {
  return {
    ...friendly(errors),
    ...(errors.slaWarnHours ? { slaWarnHours: slaMessage } : {}),
    ...(errors.slaBreachHours ? { slaBreachHours: slaMessage } : {})
  }
}

interface NumberFieldProps {
  id: string
  label: string
  min: number
  max: number
  value: string
  error: string | undefined
  onChange(value: string): void
}

/** A whole-number field with its label and error (poll interval, SLA hours). */
function NumberField({ id, label, min, max, value, error, onChange }: NumberFieldProps) {
  return (
    <Field id={id} label={label} error={error}>
      <input
        id={id}
        type="number"
        min={min}
        max={max}
        step={1}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
    </Field>
  )
}

interface FieldProps {
  id: string
  label: string
  badge?: ReactNode
  error?: string
  hint?: ReactNode
  children: ReactNode
}

function Field({ id, label, badge, error, hint, children }: FieldProps) {
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <span className="field-label-row">
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
        {badge}
      </span>
      {children}
      {hint && !error && <span className="field-hint">{hint}</span>}
      {error && (
        <span className="field-error" id={`${id}-error`} role="alert">
          {error}
        </span>
      )}
    </div>
  )
}

/** Add or edit a portal profile; the API key is write-only and goes to the keychain in main. */
export function ProfileEditor({ profileId }: { profileId: string | null }) {
  const profile = useProfilesStore((state) =>
    profileId ? state.profiles.find((candidate) => candidate.id === profileId) : undefined
  )
  const info = useProfilesStore((state) => state.info)
  const closeDialog = useNavStore((state) => state.closeDialog)
  const showScope = useNavStore((state) => state.showScope)
  const keychainDown = info?.keychain.available === false
  const editing = profileId !== null
  const [form, setForm] = useState<Form>(() => initialForm(profile, keychainDown))
  const [errors, setErrors] = useState<FieldErrors<FieldName>>({})
  const [formError, setFormError] = useState<AppError | null>(null)
  const [keychainProblem, setKeychainProblem] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [testing, setTesting] = useState(false)
  const [test, setTest] = useState<ConnectionTest | null>(null)
  const [testError, setTestError] = useState<AppError | null>(null)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const [deleting, setDeleting] = useState(false)
  /** Actions the portal still has, when a delete was refused for them: the user picks. */
  const [unsent, setUnsent] = useState<Omit<ProfileDeleteResult, 'deleted'> | null>(null)
  const deleteBox = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (confirmDelete) deleteBox.current?.scrollIntoView({ block: 'nearest' })
  }, [confirmDelete])

  // The saved key only goes where it was entered: a new origin or CA needs it in the same save.
  const keyNeeded =
    profile && !form.secret
      ? keyNeededReason(profile, {
          baseUrl: form.baseUrl,
          customCa: form.customCa.trim() ? form.customCa : null,
          pinnedSha256: form.pinnedSha256
        })
      : null
  const plainHttp = isPlainHttp(form.baseUrl)

  const update = <K extends keyof Form>(name: K, value: Form[K]) => {
    setForm((current) => ({ ...current, [name]: value }))
    if (name in errors) setErrors((current) => ({ ...current, [name]: undefined }))
  }

  /** The full profile input (create, or a draft to test); null with field errors shown. */
  function validDraft(): ProfileInput | null {
    const candidate = { ...fieldsOf(form), secret: form.secret, sessionOnly: form.sessionOnly }
    const parsed = profileInputSchema.safeParse(candidate)
    if (parsed.success) return parsed.data
    setErrors(friendlyIssues(fieldErrorsFromIssues(parsed.error.issues, fieldNames).fields))
    return null
  }

  function showFailure(error: AppError) {
    if (error.code === 'KEYCHAIN_UNAVAILABLE') {
      setKeychainProblem(error.message)
      return
    }
    const mapped = fieldErrorsFromAppError(error, fieldNames)
    setErrors(friendly(mapped.fields))
    setFormError(mapped.rest === null ? null : error)
  }

  async function save() {
    setFormError(null)
    setKeychainProblem(null)
    if (!editing) {
      const input = validDraft()
      if (!input) return
      setSaving(true)
      const result = await call((k) => k['profiles:create'](input))
      setSaving(false)
      if (!result.ok) return showFailure(result.error)
      await useProfilesStore.getState().load()
      showScope(result.value.id)
      toast('success', `Portal “${result.value.name}” added.`)
      closeDialog()
      return
    }
    if (keyNeeded) {
      setErrors((current) => ({ ...current, secret: keyNeeded }))
      return
    }
    const patch = {
      ...fieldsOf(form),
      ...(form.secret ? { secret: form.secret } : {}),
      ...(profile && form.sessionOnly !== (profile.secretStorage === 'session')
        ? { sessionOnly: form.sessionOnly }
        : {})
    }
    const parsed = profilePatchSchema.safeParse({ id: profileId, patch })
    if (!parsed.success) {
      setErrors(
        friendlyIssues(fieldErrorsFromIssues(parsed.error.issues, fieldNames, ['patch']).fields)
      )
      return
    }
    setSaving(true)
    const result = await call((k) => k['profiles:update'](parsed.data))
    setSaving(false)
    if (!result.ok) return showFailure(result.error)
    await useProfilesStore.getState().load()
    // New connection settings: fetch now, rather than show the old failure until the next poll.
    const { scope, load } = useRequestsStore.getState()
    if (scope && (scope.profileId === null || scope.profileId === profileId)) {
      void load(scope, { refresh: true })
    }
    toast('success', `Portal “${result.value.name}” saved.`)
    closeDialog()
  }

  async function runTest() {
    setTest(null)
    setTestError(null)
    let args: { id: string } | { draft: ProfileInput }
    if (keyNeeded) {
      // Testing the saved profile would not test these settings, and they may not have its key.
      setErrors((current) => ({ ...current, secret: keyNeeded }))
      return
    }
    if (profileId !== null && !form.secret) {
      args = { id: profileId }
    } else {
      const draft = validDraft()
      if (!draft) return
      args = { draft }
    }
    setTesting(true)
    const result = await call((k) => k['profiles:test'](args))
    setTesting(false)
    if (result.ok) setTest(result.value)
    else setTestError(result.error)
  }

  async function remove(pendingActions?: 'send' | 'cancel') {
    if (!profileId) return
    setDeleting(true)
    const result = await call((k) => k['profiles:delete']({ id: profileId, pendingActions }))
    setDeleting(false)
    if (!result.ok) {
      setFormError(result.error)
      setConfirmDelete(false)
      return
    }
    if (!result.value.deleted) {
      const { queued, failed, uncertain } = result.value
      setUnsent({ queued, failed, uncertain })
      return
    }
    showScope(null)
    await useProfilesStore.getState().load()
    toast('success', `Portal “${profile?.name ?? ''}” deleted.`)
    closeDialog()
  }

  const title = editing ? `Edit portal ${profile?.name ?? ''}`.trim() : 'Add a portal'
  const sessionOption = (
    <label className="check-field">
      <input
        type="checkbox"
        checked={form.sessionOnly}
        onChange={(event) => update('sessionOnly', event.target.checked)}
      />
      <span>
        Keep the secret for this session only
        <span className="field-hint block">
          Held in memory, never written to disk, and forgotten when Keygate quits.
        </span>
      </span>
    </label>
  )

  return (
    <Modal label={title} onClose={closeDialog} size="large">
      <ModalHeader title={title} onClose={closeDialog} />
      <form
        className="modal-body profile-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          void save()
        }}
      >
        {(keychainDown || keychainProblem) && (
          <div className="notice notice-warning" role="alert">
            <strong>The system keychain is not available.</strong>
            <span>
              {keychainProblem ??
                info?.keychain.message ??
                'Keygate stores API keys only in the system keychain.'}
            </span>
            {sessionOption}
          </div>
        )}
        <div className="form-grid">
          <Field id="profile-name" label="Name" error={errors.name}>
            <input
              id="profile-name"
              data-autofocus
              value={form.name}
              placeholder="Production"
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? 'profile-name-error' : undefined}
              onChange={(event) => update('name', event.target.value)}
            />
          </Field>
          <Field
            id="profile-url"
            label="Dashboard URL"
            badge={
              plainHttp ? (
                <span className="badge badge-warning" data-testid="http-badge">
                  Not encrypted
                </span>
              ) : undefined
            }
            error={errors.baseUrl}
            hint="The Tyk Dashboard’s address, e.g. https://dashboard.example.com"
          >
            <input
              id="profile-url"
              type="url"
              value={form.baseUrl}
              placeholder="https://dashboard.example.com"
              aria-invalid={errors.baseUrl ? true : undefined}
              aria-describedby={errors.baseUrl ? 'profile-url-error' : undefined}
              onChange={(event) => update('baseUrl', event.target.value)}
            />
          </Field>
        </div>
        <Field
          id="profile-secret"
          label="API key"
          error={errors.secret}
          hint={
            keyNeeded
              ? `${keyNeeded}: paste it to save or test these settings.`
              : editing
                ? profile?.hasSecret
                  ? 'Leave blank to keep the saved key.'
                  : 'No key is saved for this portal: paste it again.'
                : 'The API key of a Dashboard user with the portal permission.'
          }
        >
          <input
            id="profile-secret"
            type="password"
            autoComplete="off"
            value={form.secret}
            placeholder={editing && profile?.hasSecret ? '•••••••• (saved)' : ''}
            aria-invalid={errors.secret ? true : undefined}
            aria-describedby={errors.secret ? 'profile-secret-error' : undefined}
            onChange={(event) => update('secret', event.target.value)}
          />
        </Field>
        <div className="form-grid">
          <NumberField
            id="profile-poll"
            label="Poll interval (seconds)"
            min={10}
            max={3600}
            value={form.pollIntervalSec}
            error={errors.pollIntervalSec}
            onChange={(value) => update('pollIntervalSec', value)}
          />
          <div className="field">
            <span className="field-label">Notifications</span>
            <label className="check-field">
              <input
                type="checkbox"
                checked={form.notifications}
                onChange={(event) => update('notifications', event.target.checked)}
              />
              <span>Notify me about new key requests</span>
            </label>
          </div>
          <NumberField
            id="profile-sla-warn"
            label="Late after (hours)"
            min={1}
            max={8760}
            value={form.slaWarnHours}
            error={errors.slaWarnHours}
            onChange={(value) => update('slaWarnHours', value)}
          />
          <NumberField
            id="profile-sla-breach"
            label="Overdue after (hours)"
            min={1}
            max={8760}
            value={form.slaBreachHours}
            error={errors.slaBreachHours}
            onChange={(value) => update('slaBreachHours', value)}
          />
        </div>
        <fieldset className="form-section">
          <legend>TLS</legend>
          {plainHttp && (
            <div className="notice notice-warning" role="note">
              <span>
                Plain http:// is not encrypted: anyone on the network path can read the API key and
                the keys Keygate receives. Keygate allows it for a Dashboard on this machine only,
                unless you allow it here.
              </span>
              <label className="check-field">
                <input
                  type="checkbox"
                  checked={form.allowHttp}
                  onChange={(event) => update('allowHttp', event.target.checked)}
                />
                <span>Allow plain http:// to another host for this profile</span>
              </label>
            </div>
          )}
          <Field
            id="profile-ca"
            label="Custom CA certificate (PEM, optional)"
            error={errors.customCa}
            hint="For a Dashboard behind a private certificate authority: trusted in addition to the system roots."
          >
            <textarea
              id="profile-ca"
              rows={4}
              className="mono"
              spellCheck={false}
              value={form.customCa}
              placeholder="-----BEGIN CERTIFICATE-----"
              onChange={(event) => update('customCa', event.target.value)}
            />
          </Field>
          {form.pinnedSha256 ? (
            <div className="pinned-certificate" data-testid="pinned-certificate">
              <span>
                Trusts exactly one certificate, SHA-256{' '}
                <span className="mono">{form.pinnedSha256}</span> (the host name is still checked).
              </span>
              <button type="button" className="button" onClick={() => update('pinnedSha256', null)}>
                Stop trusting it
              </button>
            </div>
          ) : (
            profile?.reconfirmCertificate && (
              <p className="notice notice-warning" role="note" data-testid="reconfirm-certificate">
                This portal was saved with “allow a self-signed certificate”, which accepted any
                certificate and is gone. Test the connection, compare the certificate’s fingerprint
                with the one the Dashboard’s operator gives you, and confirm it.
              </p>
            )
          )}
        </fieldset>
        {!keychainDown && !keychainProblem && (
          <fieldset className="form-section">
            <legend>Secret storage</legend>
            {sessionOption}
          </fieldset>
        )}
        {test && <ConnectionTestResults test={test} />}
        {test?.certificate && (
          <CertificateConfirm
            certificate={test.certificate}
            onTrust={(sha256) => {
              update('pinnedSha256', sha256)
              setTest(null)
            }}
          />
        )}
        {testError && <ErrorNotice error={testError} compact />}
        {formError && <ErrorNotice error={formError} compact />}
        {confirmDelete && (
          <div ref={deleteBox} className="notice notice-danger" role="alert">
            <strong>Delete {profile?.name ?? 'this portal'}?</strong>
            <span>
              Keygate forgets this portal and removes its API key from the keychain. Requests on the
              portal itself are not touched; its decision log is kept.
            </span>
            {unsent && (
              <span data-testid="unsent-actions">
                It still has {unsent.queued} action(s) waiting to be sent and {unsent.failed} that
                failed: send them first, or cancel them?
                {unsent.uncertain > 0 &&
                  ` ${unsent.uncertain} of them may already have reached the portal: cancelled, ` +
                    'its decision log will say the outcome is unknown.'}
              </span>
            )}
            <div className="notice-actions">
              <button
                type="button"
                className="button"
                onClick={() => {
                  setConfirmDelete(false)
                  setUnsent(null)
                }}
              >
                Keep it
              </button>
              {unsent ? (
                <>
                  <button
                    type="button"
                    className="button"
                    disabled={deleting}
                    onClick={() => void remove('send')}
                  >
                    Send them, then delete
                  </button>
                  <button
                    type="button"
                    className="button danger-solid"
                    disabled={deleting}
                    onClick={() => void remove('cancel')}
                  >
                    Cancel them and delete
                  </button>
                </>
              ) : (
                <button
                  type="button"
                  className="button danger-solid"
                  disabled={deleting}
                  onClick={() => void remove()}
                >
                  {deleting ? 'Deleting…' : 'Delete portal'}
                </button>
              )}
            </div>
          </div>
        )}
        <div className="modal-actions split">
          <div>
            {editing && !confirmDelete && (
              <button
                type="button"
                className="button danger"
                onClick={() => setConfirmDelete(true)}
              >
                Delete…
              </button>
            )}
          </div>
          <div className="modal-actions-right">
            <button
              type="button"
              className="button"
              disabled={testing}
              onClick={() => void runTest()}
            >
              {testing ? 'Testing…' : 'Test connection'}
            </button>
            <button type="button" className="button" onClick={closeDialog}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={saving}>
              {saving ? 'Saving…' : editing ? 'Save' : 'Add portal'}
            </button>
          </div>
        </div>
      </form>
    </Modal>
  )
}
