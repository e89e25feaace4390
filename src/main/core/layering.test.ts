import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ts from 'typescript'
import { afterEach, describe, expect, it } from 'vitest'

/**
 * The dependency rule of docs/architecture.md#layers, checked on the whole import graph: lint sees
 * one import at a time, this follows every relative import (static, type-only, re-export, dynamic)
 * from each module of src/main/core and src/shared, so a core module that reaches the Electron host
 * through any chain of helpers fails here.
 */

const repoRoot = path.resolve(__dirname, '../../..')

interface Violation {
  /** Repo-relative files from the module checked to the forbidden import, which comes last. */
  chain: string[]
}

const specifierCache = new Map<string, string[]>()

function specifiersOf(file: string): string[] {
  const cached = specifierCache.get(file)
  if (cached) return cached
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text)
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push(node.moduleReference.expression.text)
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1
    ) {
      const [argument] = node.arguments
      if (argument && ts.isStringLiteralLike(argument)) found.push(argument.text)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal
      if (ts.isStringLiteral(literal)) found.push(literal.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  specifierCache.set(file, found)
  return found
}

/** The file a relative specifier names, or the resolved path itself when nothing matches. */
function resolveRelative(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier)
  const stem = base.replace(/\.(js|mjs|cjs)$/, '')
  const candidates = [
    base,
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.d.ts`,
    path.join(base, 'index.ts')
  ]
  return candidates.find((file) => existsSync(file) && statSync(file).isFile()) ?? base
}

function modulesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter(
      (file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && statSync(file).isFile()
    )
    .sort()
}

/** A file of the Electron host, by repo-relative path. */
const isHostFile = (repoPath: string): boolean =>
  /^src\/main\/(shell|ipc|adapters)\//.test(repoPath) || /^src\/main\/index(\.ts)?$/.test(repoPath)

/** Anything of main or the preload, which the renderer reaches only through window.keygate. */
const isMainOrPreload = (repoPath: string): boolean => /^src\/(main|preload)\//.test(repoPath)

/**
 * Every chain from a module under `roots` to a forbidden import: `electron` or `electron/*`, or a
 * file `forbidden` names (by default the Electron host: src/main/shell, src/main/ipc,
 * src/main/adapters, src/main/index.ts). Bare package imports other than electron are leaves.
 */
function layeringViolations(
  root: string,
  roots: string[],
  forbidden: (repoPath: string) => boolean = isHostFile
): Violation[] {
  const rel = (file: string) => path.relative(root, file)
  // One chain per forbidden edge (the first found), so one bad import is one line of the report.
  const violations = new Map<string, Violation>()
  const report = (chain: string[]) => {
    const edge = chain.slice(-2).join(' -> ')
    if (!violations.has(edge)) violations.set(edge, { chain })
  }
  for (const start of roots.flatMap((dir) => modulesUnder(path.join(root, dir)))) {
    const parent = new Map<string, string | null>([[start, null]])
    const chainTo = (file: string): string[] => {
      const chain: string[] = []
      for (let at: string | null = file; at !== null; at = parent.get(at) ?? null)
        chain.unshift(rel(at))
      return chain
    }
    const queue = [start]
    while (queue.length > 0) {
      const file = queue.shift() as string
      for (const specifier of specifiersOf(file)) {
        if (/^electron(\/|$)/.test(specifier)) {
          report([...chainTo(file), specifier])
          continue
        }
        if (!specifier.startsWith('.')) continue
        const target = resolveRelative(file, specifier)
        if (forbidden(rel(target))) {
          report([...chainTo(file), rel(target)])
        } else if (!parent.has(target) && /\.tsx?$/.test(target)) {
          parent.set(target, file)
          queue.push(target)
        }
      }
    }
  }
  return [...violations.values()]
}

describe('layering', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  function fixture(files: Record<string, string>): string {
    const root = mkdtempSync(path.join(os.tmpdir(), 'keygate-layering-'))
    dirs.push(root)
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
      writeFileSync(path.join(root, name), text)
    }
    return root
  }

  it('no module of src/main/core or src/shared reaches electron or the Electron host', () => {
    expect(layeringViolations(repoRoot, ['src/main/core', 'src/shared'])).toEqual([])
  })

  it('no module of the renderer reaches electron, main or the preload', () => {
    expect(layeringViolations(repoRoot, ['src/renderer'], isMainOrPreload)).toEqual([])
  })

  it('finds a forbidden import however far down the chain it is', () => {
    const root = fixture({
      'src/main/core/a.ts': "import { b } from './sync/b'\nexport const a = b",
      'src/main/core/sync/b.ts': "export { c as b } from '../c.js'",
      'src/main/core/c.ts': "export type C = import('../shell/window').W\nexport const c = 1",
      'src/main/shell/window.ts': 'export type W = number',
      'src/shared/d.ts': "export const d = () => import('../main/adapters/keytar')",
      // Spliced, so that a plain grep for core files importing electron does not take it for one.
      'src/shared/e.ts': `import type { App } from ${"'"}electron/main'\nexport type E = App`,
      'src/main/core/g.ts': "import '../index'\nexport const g = 1",
      'src/main/index.ts': "import 'electron'"
    })
    const chains = layeringViolations(root, ['src/main/core', 'src/shared']).map((v) => v.chain)
    expect(chains).toContainEqual([
      'src/main/core/a.ts',
      'src/main/core/sync/b.ts',
      'src/main/core/c.ts',
      'src/main/shell/window.ts'
    ])
    expect(chains).toContainEqual(['src/shared/d.ts', 'src/main/adapters/keytar'])
    expect(chains).toContainEqual(['src/shared/e.ts', 'electron/main'])
    expect(chains).toContainEqual(['src/main/core/g.ts', 'src/main/index.ts'])
    expect(chains).toHaveLength(4)
  })

  it('finds the renderer reaching into main or the preload', () => {
    const root = fixture({
      'src/renderer/src/App.tsx': "import { api } from './api'\nexport const App = api",
      'src/renderer/src/api.ts':
        "import type { P } from '../../main/core/ports'\nexport const api = 1",
      'src/renderer/src/lib/format.ts': "import '../../../preload/index'",
      'src/renderer/src/lib/ok.ts': "import type { D } from '../../../shared/domain'",
      'src/shared/domain.ts': 'export type D = 1'
    })
    const chains = layeringViolations(root, ['src/renderer'], isMainOrPreload).map((v) => v.chain)
    expect(chains).toEqual([
      ['src/renderer/src/App.tsx', 'src/renderer/src/api.ts', 'src/main/core/ports'],
      ['src/renderer/src/lib/format.ts', 'src/preload/index']
    ])
  })

  it('lets a module use shared code, its own folder and packages other than electron', () => {
    const root = fixture({
      'src/main/core/a.ts':
        "import { z } from 'zod'\nimport { b } from './b'\nexport const a = [z, b]",
      'src/main/core/b.ts': "import type { D } from '../../shared/domain'\nexport const b: D = 1",
      'src/shared/domain.ts':
        "import { electronish } from './electron-free'\nexport type D = typeof electronish",
      'src/shared/electron-free.ts': 'export const electronish = 1'
    })
    expect(layeringViolations(root, ['src/main/core', 'src/shared'])).toEqual([])
  })
})
