import { describe, expect, it } from 'vitest'
import { csvCell, toCsv } from './csv'

/** A minimal RFC 4180 reader, to check what a spreadsheet would read back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  return rows
}

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['=HYPERLINK("http://evil","x")', '"\'=HYPERLINK(""http://evil"",""x"")"'],
    ['+1+1', '"\'+1+1"'],
    ['-2+3', '"\'-2+3"'],
    ['@SUM(A1)', '"\'@SUM(A1)"'],
    ['\t=1', '"\'\t=1"'],
    ['\r=1', '"\'\r=1"'],
    ['a=1', 'a=1']
  ])('%j -> %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell)
  })

  it('writes numbers, booleans and null as themselves', () => {
    expect([csvCell(-3), csvCell(true), csvCell(null)]).toEqual(['-3', 'true', ''])
  })
})

describe('toCsv', () => {
  it('ends every record with CRLF and reads back to the same text, formulas defused', () => {
    const rows = [
      ['Acme, Inc.', 'line one\nline two', 'he said "no"'],
      ["=cmd|' /C calc'!A0", '@evil', 'ok']
    ]
    const text = toCsv(['a', 'b', 'c'], rows)
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.split('\r\n')).toHaveLength(4)
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['Acme, Inc.', 'line one\nline two', 'he said "no"'],
      ["'=cmd|' /C calc'!A0", "'@evil", 'ok']
    ])
  })
})
