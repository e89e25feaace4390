import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type {
  ActionOutcome,
  DecisionLogEntry,
  OutboxItem,
  ProfileDeleteResult
} from '../src/shared/domain'
import { AppFailure } from '../src/shared/result'
import { sendingIds, type CoreConfig, type CoreDriver, type DriverOp } from './core-driver'
import { openCore } from './open-core'
import { encodeConfig, fromWorkerSchema, type ToWorker } from './worker-protocol'

/** A call the host's death cut short: the admin never saw its answer. */
export class HostInterrupted extends Error {
  constructor() {
    super('The core instance died before answering')
    this.name = 'HostInterrupted'
  }
}

/** Where the current core instance lives, and how to end it. */
export interface CoreHost {
  kind: 'in-process' | 'worker'
  label: string
  /** Calls reject with `HostInterrupted` when the host dies first. */
  driver: Omit<CoreDriver, 'onOutboxChange' | 'stop'>
  /** Told the `sending` opIds after each outbox change that leaves some. */
  onSending(listener: (opIds: string[]) => void): void
  /** Told the title of every notification the core shows. */
  onNotified(listener: (title: string) => void): void
  /** Abrupt: an in-process instance is frozen and cut off; a worker gets SIGKILL. */
  kill(): Promise<void>
  /** Clean shutdown through the core's own stop(). */
  stop(): Promise<void>
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url))

function raceDeath<T>(call: Promise<T>, died: Promise<void>): Promise<T> {
  return Promise.race([
    call,
    died.then(() => {
      throw new HostInterrupted()
    })
  ])
}

/** A core instance in this process (AppCore or Outbox on the shared store directory). */
export async function startInProcessHost(config: CoreConfig, label: string): Promise<CoreHost> {
  const notified: ((title: string) => void)[] = []
  const instance = await openCore(config, label, (notification) => {
    for (const listener of notified) listener(notification.title)
  })
  const { driver, died } = instance
  const listeners: ((opIds: string[]) => void)[] = []
  driver.onOutboxChange((items) => {
    const opIds = sendingIds(items)
    if (opIds.length > 0) for (const listener of listeners) listener(opIds)
  })
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      raceDeath(fn(...args), died)
  return {
    kind: 'in-process',
    label,
    driver: {
      approve: guard(driver.approve),
      decline: guard(driver.decline),
      cancel: guard(driver.cancel),
      retry: guard(driver.retry),
      list: guard(driver.list),
      updateSecret: guard(driver.updateSecret),
      deleteProfile: guard(driver.deleteProfile),
      createProfile: guard(driver.createProfile),
      listProfiles: guard(driver.listProfiles),
      decisions: guard(driver.decisions),
      removedPortals: guard(driver.removedPortals)
    },
    onSending: (listener) => void listeners.push(listener),
    onNotified: (listener) => void notified.push(listener),
    kill: async () => instance.kill(),
    stop: async () => {
      await driver.stop()
      // Anything stop() left behind (a timer, a late reply) must not touch the files again.
      instance.kill()
    }
  }
}

/** A core instance in a child process (`node --import tsx chaos/worker.ts`), for SIGKILL. */
export async function startWorkerHost(config: CoreConfig, label: string): Promise<CoreHost> {
  const child = fork(workerPath, [encodeConfig(config)], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc']
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // Sends racing a SIGKILL fail with EPIPE; the exit that follows settles their calls.
  child.on('error', (error) => {
    if (!child.killed) process.stderr.write(`chaos worker ${label}: ${error.message}\n`)
  })
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (e: Error) => void }
  >()
  const listeners: ((opIds: string[]) => void)[] = []
  const notified: ((title: string) => void)[] = []
  let nextId = 1
  let ready: () => void = () => undefined
  const isReady = new Promise<void>((resolve) => {
    ready = resolve
  })
  child.on('message', (raw) => {
    const message = fromWorkerSchema.parse(raw)
    if (message.type === 'ready') ready()
    else if (message.type === 'sending') for (const listener of listeners) listener(message.opIds)
    else if (message.type === 'notified') for (const listener of notified) listener(message.title)
    else {
      const waiter = pending.get(message.id)
      pending.delete(message.id)
      if (!waiter) return
      const { result } = message
      if (result.ok) waiter.resolve(result.value)
      else
        waiter.reject(
          new AppFailure(result.error.code, result.error.message, result.error.retryable)
        )
    }
  })
  void exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new HostInterrupted())
    pending.clear()
  })
  await Promise.race([
    isReady,
    exited.then(() => {
      throw new Error(`chaos worker ${label} exited before it was ready (see stderr)`)
    })
  ])

  const call = <T>(op: DriverOp): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        reject(new HostInterrupted())
        return
      }
      const id = nextId++
      pending.set(id, { resolve: (value) => resolve(value as T), reject })
      send(child, { type: 'call', id, call: op })
    })
  return {
    kind: 'worker',
    label,
    driver: {
      approve: (profileId, requestId) =>
        call<ActionOutcome>({ op: 'approve', profileId, requestId }),
      decline: (profileId, requestId, reason) =>
        call<ActionOutcome>({ op: 'decline', profileId, requestId, reason }),
      cancel: async (opId) => void (await call({ op: 'cancel', opId })),
      retry: async (opId) => void (await call({ op: 'retry', opId })),
      list: () => call<OutboxItem[]>({ op: 'list' }),
      updateSecret: async (profileId, secret) =>
        void (await call({ op: 'updateSecret', profileId, secret })),
      deleteProfile: (profileId, pendingActions) =>
        call<ProfileDeleteResult>({ op: 'deleteProfile', profileId, pendingActions }),
      createProfile: (name, url, secret) =>
        call<string>({ op: 'createProfile', name, url, secret }),
      listProfiles: () => call<{ id: string; url: string }[]>({ op: 'listProfiles' }),
      decisions: (profileId) => call<DecisionLogEntry[]>({ op: 'decisions', profileId }),
      removedPortals: () => call<string[]>({ op: 'removedPortals' })
    },
    onSending: (listener) => void listeners.push(listener),
    onNotified: (listener) => void notified.push(listener),
    kill: async () => {
      child.kill('SIGKILL')
      await exited
    },
    stop: async () => {
      send(child, { type: 'stop' })
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
      await exited
      clearTimeout(timer)
    }
  }
}

/** A worker killed a moment ago may still look connected: its EPIPE reaches the caller via exit. */
function send(child: ChildProcess, message: ToWorker): void {
  if (child.connected) child.send(message, (error) => void error)
}
