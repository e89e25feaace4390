/**
 * `npm run bench`: runs every benchmark in bench/ as its own process (so heaps and CPU figures
 * do not mix), reads the JSON line each prints last, and prints one table of figures beside
 * their targets. Targets are reported, never asserted: the exit code is 1 only when a
 * benchmark crashed. Builds the renderer first when out/renderer is missing or stale.
 * Run: npm run bench [-- --only flush,poll] [--json results.json] [--markdown]
 */
import { spawn } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { rendererUnavailable } from './support/chromium'
import { machine } from './support/machine'
import { ensureRendererBuild } from './support/renderer-build'
import type { BenchResult, Figure } from './support/report'

const benchDir = import.meta.dirname
const repoRoot = path.resolve(benchDir, '..')
/** Cheap ones first; any other script in bench/ runs after these, alphabetically. */
const preferredOrder = ['emulator-throughput', 'flush', 'bulk', 'inbox', 'poll', 'footprint']
const TIMEOUT_MS = 240_000

interface Outcome {
  name: string
  result: BenchResult | null
  error: string | null
  seconds: number
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? process.argv[at + 1] : undefined
}

function discover(): string[] {
  const names = readdirSync(benchDir)
    .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
    .map((file) => file.slice(0, -'.ts'.length))
    .sort()
  const rank = (name: string) => {
    const at = preferredOrder.indexOf(name)
    return at < 0 ? preferredOrder.length : at
  }
  const only = option('only')?.split(',')
  return names
    .filter((name) => !only || only.includes(name))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}

/** One benchmark in a fresh Node (GC exposed for heap figures); its stderr streams through. */
function runOne(name: string): Promise<Outcome> {
  const started = Date.now()
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', path.join(benchDir, `${name}.ts`)],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] }
    )
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    const timer = setTimeout(() => child.kill('SIGTERM'), TIMEOUT_MS)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const seconds = Math.round((Date.now() - started) / 1000)
      const last = stdout.trim().split('\n').pop() ?? ''
      if (code !== 0) {
        const why = signal
          ? `killed by ${signal} (timeout ${TIMEOUT_MS / 1000} s?)`
          : `exit ${code}`
        resolve({ name, result: null, error: why, seconds })
        return
      }
      try {
        resolve({ name, result: JSON.parse(last) as BenchResult, error: null, seconds })
      } catch {
        resolve({ name, result: null, error: 'last stdout line is not JSON', seconds })
      }
    })
  })
}

const targetText = (figure: Figure): string =>
  figure.target ? `${figure.target.op} ${figure.target.value}` : ''
const metText = (figure: Figure): string => (figure.met === null ? '' : figure.met ? 'yes' : 'NO')
const valueText = (figure: Figure): string => `${figure.value} ${figure.unit}`

function rows(outcomes: Outcome[]): string[][] {
  const table: string[][] = []
  for (const outcome of outcomes) {
    if (!outcome.result) {
      table.push([outcome.name, `CRASHED (${outcome.error})`, '', '', ''])
      continue
    }
    for (const figure of outcome.result.figures) {
      table.push([
        outcome.name,
        figure.name,
        valueText(figure),
        targetText(figure),
        metText(figure)
      ])
    }
    for (const reason of outcome.result.skipped) {
      table.push([outcome.name, `skipped: ${reason}`, '', '', ''])
    }
  }
  return table
}

function printText(table: string[][]): void {
  const header = ['benchmark', 'figure', 'value', 'target', 'met']
  const widths = header.map((title, column) =>
    Math.max(title.length, ...table.map((row) => (row[column] ?? '').length))
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd()
  console.log(line(header))
  console.log(line(widths.map((width) => '-'.repeat(width))))
  for (const row of table) console.log(line(row))
}

function printMarkdown(table: string[][]): void {
  console.log('| benchmark | figure | value | target | met |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const row of table) {
    console.log(`| ${row.map((cell) => cell.trim().replaceAll('|', '\\|')).join(' | ')} |`)
  }
}

async function main(): Promise<void> {
  const box = machine()
  console.log(
    `Keygate benchmarks on ${box.cores} x ${box.model}, ${box.memoryGb} GB, ${box.platform}, ` +
      `Node ${box.node}, load average ${box.loadAverage.join(' ')}`
  )
  if (rendererUnavailable() === null) {
    try {
      ensureRendererBuild((message) => process.stderr.write(`[bench] ${message}\n`))
    } catch (error) {
      // The renderer benchmarks will report it; the others still run.
      process.stderr.write(`[bench] ${error instanceof Error ? error.message : String(error)}\n`)
    }
  }
  const outcomes: Outcome[] = []
  for (const name of discover()) {
    process.stderr.write(`[bench] running ${name}\n`)
    outcomes.push(await runOne(name))
  }

  console.log('')
  const table = rows(outcomes)
  printText(table)
  if (process.argv.includes('--markdown')) {
    console.log('')
    printMarkdown(table)
  }
  const withTarget = outcomes.flatMap((o) => o.result?.figures ?? []).filter((f) => f.target)
  const missed = withTarget.filter((figure) => figure.met === false)
  console.log('')
  console.log(
    `${withTarget.length - missed.length} of ${withTarget.length} targets met; ` +
      outcomes
        .map((o) => `${o.name} ${o.seconds} s (load ${o.result?.machine.loadAverage[0] ?? '?'})`)
        .join(', ')
  )
  const json = option('json')
  if (json) {
    writeFileSync(json, `${JSON.stringify({ machine: box, outcomes }, null, 2)}\n`)
    console.log(`Full results: ${json}`)
  }
  const crashed = outcomes.filter((outcome) => !outcome.result)
  if (crashed.length > 0) {
    console.log(`Crashed: ${crashed.map((outcome) => outcome.name).join(', ')}`)
    process.exitCode = 1
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
