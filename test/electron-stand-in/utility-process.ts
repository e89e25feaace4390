import type { ForkOptions, UtilityProcess as ElectronUtilityProcess } from 'electron'
import { fork, type ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { recorder, requireReady } from './recorder'

/**
 * `utilityProcess.fork` backed by a real Node child process. Electron gives the child
 * `process.parentPort`; here the child talks through Node's IPC (`process.send`/`on('message')`),
 * so a module written for a utility process needs a two-line shim to run under the stand-in.
 */
export class UtilityProcess extends EventEmitter {
  readonly standInLabel: string
  private readonly child: ChildProcess

  constructor(modulePath: string, args: string[], options: ForkOptions) {
    super()
    this.standInLabel = `utilityProcess ${options.serviceName ?? modulePath}`
    this.child = fork(modulePath, args, {
      cwd: options.cwd,
      env: (options.env as NodeJS.ProcessEnv | undefined) ?? process.env,
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced'
    })
    this.child.once('spawn', () => this.emit('spawn'))
    this.child.on('message', (message) => this.emit('message', message))
    this.child.once('exit', (code) => this.emit('exit', code ?? 1))
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  postMessage(message: unknown): void {
    recorder.record(`${this.standInLabel}.postMessage`, [message])
    this.child.send(message as never)
  }

  kill(): boolean {
    recorder.record(`${this.standInLabel}.kill`, [])
    return this.child.kill()
  }
}

export const utilityProcess = {
  fork(modulePath: string, args: string[] = [], options: ForkOptions = {}): UtilityProcess {
    recorder.record('utilityProcess.fork', [modulePath, args])
    // Electron: "utilityProcess can only be used after the app is ready".
    requireReady('utilityProcess.fork')
    return new UtilityProcess(modulePath, args, options)
  }
} satisfies {
  fork(
    modulePath: string,
    args?: string[],
    options?: ForkOptions
  ): Pick<ElectronUtilityProcess, 'postMessage' | 'kill' | 'pid'>
}
