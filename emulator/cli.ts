import { parseCliArgs, usage } from './cli-args'
import { startEmulator } from './index'

/** `npm run emulator -- --port 3000 --secret s3cret ...`: serves until SIGTERM or SIGINT. */
async function main(): Promise<void> {
  let request
  try {
    request = parseCliArgs(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`)
    process.exit(2)
  }
  if (request.help) {
    process.stdout.write(usage)
    return
  }
  const emulator = await startEmulator(request.options)
  process.stdout.write(`listening on ${emulator.url}\n`)
  process.stderr.write(`control API on ${emulator.controlUrl}\n`)
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`emulator: error while closing: ${String(error)}\n`)
        process.exit(1)
      }
    )
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
