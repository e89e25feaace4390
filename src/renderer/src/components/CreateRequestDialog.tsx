import { useEffect, useState } from 'react'
import type { Developer, Policy } from '../../../shared/domain'
import { createRequestArgsSchema } from '../../../shared/ipc'
import type { AppError } from '../../../shared/result'
import { call } from '../api'
import {
  fieldErrorsFromAppError,
  fieldErrorsFromIssues,
  type FieldErrors
} from '../lib/field-errors'
import { useNavStore } from '../store/nav-store'
import { useProfilesStore } from '../store/profiles-store'
import { useRequestsStore } from '../store/requests-store'
import { toast } from '../store/toast-store'
import { ErrorNotice } from './ErrorNotice'
import { Modal, ModalHeader } from './Modal'

const fieldNames = ['profileId', 'developerId', 'policyIds', 'fields'] as const
type FieldName = (typeof fieldNames)[number]

interface FieldRow {
  id: number
  name: string
  value: string
}

type Options =
  | { phase: 'loading' }
  | { phase: 'ready'; developers: Developer[]; policies: Policy[] }
  | { phase: 'error'; error: AppError }

let nextRowId = 1

/** Developers and policies of one portal, for the form's pickers. */
function usePortalOptions(profileId: string): [Options, () => void] {
  const [options, setOptions] = useState<Options>({ phase: 'loading' })
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    let live = true
    void Promise.all([
      call((k) => k['developers:list']({ profileId })),
      call((k) => k['policies:list']({ profileId }))
    ]).then(([developers, policies]) => {
      if (!live) return
      if (!developers.ok) setOptions({ phase: 'error', error: developers.error })
      else if (!policies.ok) setOptions({ phase: 'error', error: policies.error })
      else setOptions({ phase: 'ready', developers: developers.value, policies: policies.value })
    })
    return () => {
      live = false
    }
  }, [profileId, attempt])
  return [
    options,
    () => {
      setOptions({ phase: 'loading' })
      setAttempt((n) => n + 1)
    }
  ]
}

function fieldRecord(rows: readonly FieldRow[]): Record<string, string> | string {
  const record: Record<string, string> = {}
  for (const row of rows) {
    const name = row.name.trim()
    if (!name && !row.value) continue
    if (!name) return 'Give every custom field a name'
    if (name in record) return `The field “${name}” appears twice`
    record[name] = row.value
  }
  return record
}

function PortalForm({ profileId }: { profileId: string }) {
  const closeDialog = useNavStore((state) => state.closeDialog)
  const [options, retryOptions] = usePortalOptions(profileId)
  const [developerId, setDeveloperId] = useState('')
  const [policyIds, setPolicyIds] = useState<string[]>([])
  const [rows, setRows] = useState<FieldRow[]>([])
  const [errors, setErrors] = useState<FieldErrors<FieldName>>({})
  const [formError, setFormError] = useState<AppError | null>(null)
  const [saving, setSaving] = useState(false)

  async function submit() {
    setFormError(null)
    const fields = fieldRecord(rows)
    if (typeof fields === 'string') {
      setErrors({ fields })
      return
    }
    const parsed = createRequestArgsSchema.safeParse({
      profileId,
      developerId,
      policyIds,
      ...(Object.keys(fields).length > 0 ? { fields } : {})
    })
    if (!parsed.success) {
      const mapped = fieldErrorsFromIssues(parsed.error.issues, fieldNames).fields
      setErrors(mapped.developerId ? { ...mapped, developerId: 'Choose a developer' } : mapped)
      return
    }
    setErrors({})
    setSaving(true)
    const result = await call((k) => k['requests:create'](parsed.data))
    setSaving(false)
    if (!result.ok) {
      const mapped = fieldErrorsFromAppError(result.error, fieldNames)
      setErrors(mapped.fields)
      if (mapped.rest !== null) setFormError(result.error)
      return
    }
    const scope = useRequestsStore.getState().scope
    if (scope) void useRequestsStore.getState().load(scope, { refresh: true })
    toast('success', 'Key request created.')
    closeDialog()
  }

  if (options.phase === 'loading') {
    return (
      <p className="muted" role="status">
        Loading developers and policies…
      </p>
    )
  }
  if (options.phase === 'error') return <ErrorNotice error={options.error} onRetry={retryOptions} />

  const toggle = (id: string, on: boolean) =>
    setPolicyIds((current) => (on ? [...current, id] : current.filter((item) => item !== id)))

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        void submit()
      }}
    >
      <div className={errors.developerId ? 'field invalid' : 'field'}>
        <label className="field-label" htmlFor="create-developer">
          Developer
        </label>
        <select
          id="create-developer"
          data-autofocus
          value={developerId}
          aria-invalid={errors.developerId ? true : undefined}
          onChange={(event) => setDeveloperId(event.target.value)}
        >
          <option value="">Choose a developer…</option>
          {options.developers.map((developer) => (
            <option key={developer.id} value={developer.id}>
              {developer.email ?? developer.id}
              {developer.inactive ? ' (inactive)' : ''}
            </option>
          ))}
        </select>
        {errors.developerId && (
          <span className="field-error" role="alert">
            {errors.developerId}
          </span>
        )}
      </div>
      <fieldset
        className={errors.policyIds ? 'field invalid policy-picker' : 'field policy-picker'}
      >
        <legend className="field-label">Policies</legend>
        {options.policies.length === 0 ? (
          <p className="muted">This portal has no policies.</p>
        ) : (
          <div className="policy-options">
            {options.policies.map((policy) => (
              <label key={policy.id} className="check-field">
                <input
                  type="checkbox"
                  checked={policyIds.includes(policy.id)}
                  onChange={(event) => toggle(policy.id, event.target.checked)}
                />
                <span>
                  {policy.name}
                  {!policy.active && <span className="tag">inactive</span>}
                  {policy.authType && <span className="tag">{policy.authType}</span>}
                </span>
              </label>
            ))}
          </div>
        )}
        {errors.policyIds && (
          <span className="field-error" role="alert">
            {errors.policyIds}
          </span>
        )}
      </fieldset>
      <fieldset className={errors.fields ? 'field invalid' : 'field'}>
        <legend className="field-label">Custom fields</legend>
        {rows.map((row, index) => (
          <div key={row.id} className="kv-row">
            <input
              aria-label={`Field ${index + 1} name`}
              placeholder="Name"
              value={row.name}
              onChange={(event) =>
                setRows(rows.map((r) => (r.id === row.id ? { ...r, name: event.target.value } : r)))
              }
            />
            <input
              aria-label={`Field ${index + 1} value`}
              placeholder="Value"
              value={row.value}
              onChange={(event) =>
                setRows(
                  rows.map((r) => (r.id === row.id ? { ...r, value: event.target.value } : r))
                )
              }
            />
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove field ${index + 1}`}
              onClick={() => setRows(rows.filter((r) => r.id !== row.id))}
            >
              ×
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button ghost small"
          onClick={() => setRows([...rows, { id: nextRowId++, name: '', value: '' }])}
        >
          + Add field
        </button>
        {errors.fields && (
          <span className="field-error" role="alert">
            {errors.fields}
          </span>
        )}
      </fieldset>
      {formError && <ErrorNotice error={formError} compact />}
      <div className="modal-actions">
        <button type="button" className="button" onClick={closeDialog}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? 'Creating…' : 'Create request'}
        </button>
      </div>
    </form>
  )
}

/** Files a key request on a developer's behalf (developer + policies + custom fields). */
export function CreateRequestDialog() {
  const closeDialog = useNavStore((state) => state.closeDialog)
  const scope = useNavStore((state) => state.profileId)
  const profiles = useProfilesStore((state) => state.profiles)
  const [profileId, setProfileId] = useState(() => scope ?? profiles[0]?.id ?? '')
  return (
    <Modal label="New key request" onClose={closeDialog}>
      <ModalHeader title="New key request" onClose={closeDialog} />
      <div className="modal-body">
        {profiles.length > 1 && (
          <div className="field">
            <label className="field-label" htmlFor="create-portal">
              Portal
            </label>
            <select
              id="create-portal"
              value={profileId}
              onChange={(event) => setProfileId(event.target.value)}
            >
              {profiles.map((profile) => (
                <option key={profile.id} value={profile.id}>
                  {profile.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {profileId ? (
          <PortalForm key={profileId} profileId={profileId} />
        ) : (
          <p className="muted">Add a portal first.</p>
        )}
      </div>
    </Modal>
  )
}
