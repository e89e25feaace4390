/**
 * RFC 4180 CSV that a spreadsheet cannot run (docs/architecture.md#export): CRLF between
 * records, a field with a comma, quote, CR or LF quoted with its quotes doubled, and a text
 * cell a spreadsheet would read as a formula (starting with = + - @ tab or CR) prefixed with
 * an apostrophe and quoted, so a developer's "=HYPERLINK(...)" stays text.
 */
export type CsvValue = string | number | boolean | null

const formulaStart = /^[=+\-@\t\r]/
const needsQuotes = /[",\r\n]/

export function csvCell(value: CsvValue): string {
  if (value === null) return ''
  if (typeof value !== 'string') return String(value)
  const text = formulaStart.test(value) ? `'${value}` : value
  return text !== value || needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',') + '\r\n').join('')
}
