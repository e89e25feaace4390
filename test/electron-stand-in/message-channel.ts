import type { MessagePortMain as ElectronMessagePortMain } from 'electron'
import { EventEmitter } from 'node:events'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { recorder } from './recorder'

/**
 * One end of a MessageChannelMain, over a Node MessagePort (within this process only: ports
 * cannot travel to a child process here). As in Electron, messages wait until `start()`.
 */
export class MessagePortMain extends EventEmitter {
  readonly standInLabel = 'MessagePortMain'

  constructor(private readonly port: MessagePort) {
    super()
    port.unref()
  }

  start(): void {
    recorder.record('MessagePortMain.start', [])
    this.port.on('message', (data: unknown) => this.emit('message', { data, ports: [] }))
    this.port.once('close', () => this.emit('close'))
  }

  postMessage(message: unknown): void {
    recorder.record('MessagePortMain.postMessage', [message])
    this.port.postMessage(message)
  }

  close(): void {
    recorder.record('MessagePortMain.close', [])
    this.port.close()
  }
}

export class MessageChannelMain {
  readonly port1: MessagePortMain
  readonly port2: MessagePortMain

  constructor() {
    recorder.record('new MessageChannelMain', [])
    const channel = new MessageChannel()
    this.port1 = new MessagePortMain(channel.port1)
    this.port2 = new MessagePortMain(channel.port2)
  }
}

export type UsedMessageChannel = {
  port1: Pick<ElectronMessagePortMain, 'start' | 'postMessage' | 'close'>
  port2: Pick<ElectronMessagePortMain, 'start' | 'postMessage' | 'close'>
}
