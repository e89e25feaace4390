import type { IssuedCredential, KeyNotice, KeysExportResult } from '../../../shared/domain'
import { AppFailure } from '../../../shared/result'
import type { FileSaver } from '../ports'
import type { KeyVault } from './key-vault'

export type KeyExportFormat = 'csv' | 'json'

interface ExportRow {
  portal: string
  requestId: string
  developerEmail: string
  catalogue: string
  issuedAt: string
  kind: IssuedCredential['kind']
  key: string
  username: string
  password: string
  clientId: string
  clientSecret: string
}

const columns: (keyof ExportRow)[] = [
  'portal',
  'requestId',
  'developerEmail',
  'catalogue',
  'issuedAt',
  'kind',
  'key',
  'username',
  'password',
  'clientId',
  'clientSecret'
]

function rowOf(notice: KeyNotice, credential: IssuedCredential, portal: string): ExportRow {
  return {
    portal,
    requestId: notice.requestId,
    developerEmail: notice.developerEmail ?? '',
    catalogue: notice.catalogueName ?? '',
    issuedAt: notice.issuedAt,
    kind: credential.kind,
    key: credential.kind === 'key' ? credential.rawKey : '',
    username: credential.kind === 'basic' ? credential.username : '',
    password: credential.kind === 'basic' ? credential.password : '',
    clientId: credential.kind === 'oauth' ? credential.clientId : '',
    clientSecret: credential.kind === 'oauth' ? credential.secret : ''
  }
}

/** Columns a developer or portal admin wrote: a leading formula character there is defused. */
const textColumns = new Set<keyof ExportRow>(['portal', 'requestId', 'developerEmail', 'catalogue'])

/**
 * RFC 4180 quoting. In text columns a leading formula character gets a `'` so a spreadsheet
 * shows it as text; credentials are written exactly as issued, or they would not work.
 */
function csvCell(value: string, column: keyof ExportRow): string {
  const safe = textColumns.has(column) && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

function render(rows: ExportRow[], format: KeyExportFormat): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`
  const lines = [
    columns.join(','),
    ...rows.map((row) => columns.map((c) => csvCell(row[c], c)).join(','))
  ]
  return `${lines.join('\r\n')}\r\n`
}

/**
 * Saves held keys to a file the admin chooses in the save dialog (docs/architecture.md#approve-decline):
 * the only way an issued key reaches a disk, and only on the admin's request. Every key must still be
 * held: a dismissed or expired one fails the whole export (NOT_FOUND) rather than leave a gap.
 */
export async function exportKeys(deps: {
  vault: Pick<KeyVault, 'list' | 'reveal'>
  fileSaver: FileSaver | undefined
  portalName(profileId: string): string
  keyIds: readonly string[]
  format: KeyExportFormat
  today: string
}): Promise<KeysExportResult> {
  if (!deps.fileSaver) {
    throw new AppFailure(
      'INTERNAL',
      'Saving a file is not available in this window: copy the keys one by one from "Keys from this batch" instead.'
    )
  }
  const notices = new Map(deps.vault.list().map((notice) => [notice.id, notice]))
  const rows = [...new Set(deps.keyIds)].map((keyId) => {
    const notice = notices.get(keyId)
    if (!notice) {
      throw new AppFailure(
        'NOT_FOUND',
        'One of these keys was dismissed: Keygate shows an issued key only once and keeps no copy. Export the others.'
      )
    }
    return rowOf(notice, deps.vault.reveal(keyId), deps.portalName(notice.profileId))
  })
  const saved = await deps.fileSaver.save({
    title: `Save ${rows.length} issued ${rows.length === 1 ? 'key' : 'keys'}`,
    defaultName: `keygate-keys-${deps.today}.${deps.format}`,
    filters: [
      deps.format === 'csv'
        ? { name: 'CSV', extensions: ['csv'] }
        : { name: 'JSON', extensions: ['json'] }
    ],
    contents: render(rows, deps.format)
  })
  return saved.saved ? { saved: true, path: saved.path, count: rows.length } : { saved: false }
}
