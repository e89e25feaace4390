import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * Code comments point into docs/architecture.md by anchor; a renamed or dropped section must not
 * leave them pointing at nothing, and nothing may cite the team's notes outside the repo.
 */

const repoRoot = path.resolve(__dirname, '../../..')
const scanned = ['src', 'emulator', 'chaos', 'bench', 'e2e', 'docs']
const scannedFiles = ['README.md', 'eslint.config.js']

function textFiles(): string[] {
  const files = scannedFiles.map((name) => path.join(repoRoot, name))
  for (const dir of scanned) {
    for (const name of readdirSync(path.join(repoRoot, dir), {
      recursive: true,
      encoding: 'utf8'
    })) {
      const file = path.join(repoRoot, dir, name)
      if (
        /\.(ts|tsx|js|md)$/.test(name) &&
        !name.includes('node_modules') &&
        file !== __filename &&
        statSync(file).isFile()
      ) {
        files.push(file)
      }
    }
  }
  return files
}

/** `file:line` of each match of `pattern` in the scanned files, with the matched group. */
function occurrences(pattern: RegExp): { where: string; match: string }[] {
  const found: { where: string; match: string }[] = []
  for (const file of textFiles()) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        for (const m of line.matchAll(pattern)) {
          found.push({
            where: `${path.relative(repoRoot, file)}:${index + 1}`,
            match: m[1] ?? m[0]
          })
        }
      })
  }
  return found
}

describe('architecture links', () => {
  const doc = readFileSync(path.join(repoRoot, 'docs/architecture.md'), 'utf8')
  const anchors = new Set([...doc.matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((m) => m[1]))

  it('every docs/architecture.md#anchor names a section of the file', () => {
    const links = occurrences(/docs\/architecture\.md#([a-z0-9-]+)/g)
    expect(links.length).toBeGreaterThan(10)
    expect(links.filter(({ match }) => !anchors.has(match))).toEqual([])
  })

  it('every in-page link of docs/architecture.md names one of its anchors', () => {
    const inPage = [...doc.matchAll(/\]\(#([a-z0-9-]+)\)/g)].map((m) => m[1])
    expect(inPage.filter((anchor) => !anchors.has(anchor))).toEqual([])
  })

  it('nothing cites the design notes or the vendor reference kept outside the repo', () => {
    const section = String.fromCharCode(0xa7)
    const outside = new RegExp(
      `(design|reference|ref) ${section}|design\\.md|shared/reference|reference q\\d`,
      'g'
    )
    expect(occurrences(outside).map(({ where }) => where)).toEqual([])
  })
})
