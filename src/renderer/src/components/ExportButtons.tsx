import type { ExportFormat } from '../../../shared/domain'

/** Export as CSV or JSON: main shows the save dialog and writes only where the admin chose. */
export function ExportButtons({ onExport }: { onExport(format: ExportFormat): void }) {
  return (
    <>
      <button type="button" className="button small" onClick={() => onExport('csv')}>
        Export CSV
      </button>
      <button type="button" className="button small" onClick={() => onExport('json')}>
        Export JSON
      </button>
    </>
  )
}
