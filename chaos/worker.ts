/**
 * A core instance in its own process, for kills by SIGKILL: `node --import tsx chaos/worker.ts
 * <config>`. It opens the core on the run's store directory, serves driver calls over the IPC
 * channel, and reports every outbox change that leaves items `sending`.
 */
import { AppFailure, type AppError } from '../src/shared/result'
import { runDriverOp, sendingIds } from './core-driver'
import { openCore } from './open-core'
import { decodeConfig, fromWorkerSchema, toWorkerSchema, type FromWorker } from './worker-protocol'

function post(message: FromWorker): void {
  // The parent kills workers mid-flush on purpose: a message to a parent whose channel already
  // closed is expected then, and with a callback it is not an unhandled 'error' (EPIPE).
  if (!process.connected) return
  process.send?.(fromWorkerSchema.parse(message), undefined, undefined, (error) => {
    if (error && process.connected) process.stderr.write(`chaos worker: ${error.message}\n`)
  })
}

function asAppError(thrown: unknown): AppError {
  if (thrown instanceof AppFailure) return thrown.error
  return { code: 'INTERNAL', message: String(thrown), retryable: false }
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('chaos/worker.ts runs as a child with an IPC channel')
  const config = decodeConfig(process.argv[2])
  const instance = await openCore(config, `worker ${process.pid}`, (notification) =>
    post({ type: 'notified', title: notification.title })
  )
  instance.driver.onOutboxChange((items) => {
    const opIds = sendingIds(items)
    if (opIds.length > 0) post({ type: 'sending', opIds })
  })
  process.on('message', (raw) => {
    const parsed = toWorkerSchema.safeParse(raw)
    if (!parsed.success) {
      process.stderr.write(`chaos worker: bad message ${JSON.stringify(raw)}\n`)
      return
    }
    const message = parsed.data
    if (message.type === 'stop') {
      void instance.driver.stop().then(() => process.exit(0))
      return
    }
    runDriverOp(instance.driver, message.call).then(
      (value) =>
        post({ type: 'reply', id: message.id, result: { ok: true, value: value ?? null } }),
      (thrown: unknown) =>
        post({ type: 'reply', id: message.id, result: { ok: false, error: asAppError(thrown) } })
    )
  })
  // The parent going away must not leave a core running on the store.
  process.on('disconnect', () => process.exit(0))
  post({ type: 'ready' })
}

main().catch((error: unknown) => {
  process.stderr.write(
    `chaos worker failed: ${error instanceof Error ? error.stack : String(error)}\n`
  )
  process.exit(1)
})
