/**
 * `npm run chaos -- --actions 2000 --profiles 3 --fault-rate 0.3 --kills 20 --seed 1`
 *
 * Prints progress on stderr and the JSON summary as the last stdout line; exits 1 when anything
 * was lost, approved twice by Keygate, or deleted by Keygate while approved.
 */
import { parseChaosArgs } from './args'
import { runChaos } from './run-chaos'

async function main(): Promise<void> {
  const parsed = parseChaosArgs(process.argv.slice(2))
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n`)
    process.exit(2)
  }
  const log = (line: string): void => void process.stderr.write(`${line}\n`)
  const { summary, problems, notes, details } = await runChaos({ ...parsed.options, log })
  log(`details: ${JSON.stringify(details)}`)
  for (const note of notes.slice(0, 50)) log(`note: ${note}`)
  for (const problem of problems.slice(0, 50)) log(`problem: ${problem}`)
  if (problems.length > 50) log(`... and ${problems.length - 50} more problems`)
  process.stdout.write(`${JSON.stringify(summary)}\n`)
  const failed = summary.lost > 0 || summary.doubleApprovals > 0 || summary.deletesOfApproved > 0
  process.exit(failed ? 1 : 0)
}

main().catch((error: unknown) => {
  process.stderr.write(
    `chaos run failed: ${error instanceof Error ? error.stack : String(error)}\n`
  )
  process.exit(1)
})
