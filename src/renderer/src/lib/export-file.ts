import type { ExportFormat, ExportKind } from '../../../shared/domain'
import { call } from '../api'
import { toast } from '../store/toast-store'

/** Asks main to build the export and show the save dialog; says in a toast what happened. */
export async function exportFile(args: {
  what: ExportKind
  format: ExportFormat
  profileIds?: string[]
  from?: string
  to?: string
}): Promise<void> {
  const result = await call((k) => k['export:save'](args))
  if (!result.ok) {
    toast('error', result.error.message)
    return
  }
  if (!result.value.saved) return
  const rows = result.value.rows
  toast(
    'success',
    `Exported ${rows.toLocaleString()} ${args.what === 'decisions' ? 'decision' : 'request'}${rows === 1 ? '' : 's'} to ${result.value.path ?? 'the chosen file'}.`
  )
}
