import { ipcMain } from 'electron'
import { invokeChannels, type InvokeHandlers } from '../../shared/ipc'
import type { Result } from '../../shared/result'
import type { Logger } from '../core/ports'
import { isTrustedSender } from '../shell/sender-guard'
import { dispatchInvoke } from './dispatch'

const untrustedSender: Result<never> = {
  ok: false,
  error: {
    code: 'FORBIDDEN',
    message: 'Refused a request from a page that is not Keygate.',
    retryable: false
  }
}

/**
 * Binds every contract channel to `ipcMain.handle`: sender check (top frame of the app's origin),
 * then `dispatchInvoke`. Returns a function that removes the handlers again.
 */
export function registerInvokeHandlers(options: {
  handlers: InvokeHandlers
  appOrigin: string
  logger: Logger
}): () => void {
  const { handlers, appOrigin, logger } = options
  for (const channel of invokeChannels) {
    ipcMain.handle(channel, (event, rawArgs: unknown) => {
      // Read synchronously: senderFrame becomes null once the frame navigates or goes away.
      const frame = event.senderFrame
      if (!isTrustedSender(frame, appOrigin)) {
        logger.warn('Refused IPC from an untrusted frame', { channel, url: frame?.url ?? null })
        return untrustedSender
      }
      return dispatchInvoke(handlers, channel, rawArgs, { logger })
    })
  }
  return () => {
    for (const channel of invokeChannels) ipcMain.removeHandler(channel)
  }
}
