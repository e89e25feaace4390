import {
  app,
  BrowserWindow,
  clipboard,
  ClipboardItem,
  dialog,
  Notification,
  session
} from 'electron'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createAppLogger } from './adapters/app-logger'
import { createElectronClipboard } from './adapters/electron-clipboard'
import { createElectronFileSaver } from './adapters/electron-file-saver'
import { startDemoPortal } from './adapters/demo-portal'
import { createElectronNotifier } from './adapters/electron-notifier'
import { createElectronProxyResolver } from './adapters/electron-proxy-resolver'
import { createElectronStoreFactory } from './adapters/electron-store-factory'
import { createKeytarCredentialStore } from './adapters/keytar-credential-store'
import { appPaths, resolveUserDataDir } from './adapters/paths'
import { createAppCore } from './core/app-core'
import { createRedactor } from './core/logging/redactor'
import { systemClock, type Logger } from './core/ports'
import { forwardPushes, sendPush } from './ipc/forward-pushes'
import { registerInvokeHandlers } from './ipc/register-invoke'
import { registerAppScheme, serveRenderer } from './shell/app-protocol'
import { stopBeforeQuit } from './shell/graceful-quit'
import { installAppMenu } from './shell/menu'
import { APP_ORIGIN, rendererOrigin } from './shell/origin-guard'
import { pendingIndicators } from './shell/pending-indicators'
import { guardAllWebContents, hardenSession } from './shell/security'
import { claimSingleInstance } from './shell/single-instance'
import { createAppTray } from './shell/tray'
import { createWindowController, type WindowController } from './shell/window-controller'

// Everything up to `whenReady` runs synchronously while the ESM entry evaluates, i.e. before
// Electron emits `ready`: the only window for setPath and registerSchemesAsPrivileged.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const isDev = devServerUrl !== undefined
const appOrigin = rendererOrigin(devServerUrl)
const resourcesDir = path.join(app.getAppPath(), 'resources')

app.setPath('userData', resolveUserDataDir(process.env, app.getPath('appData')))
app.setAppUserModelId('io.keygate.desktop')
// Every renderer sandboxed, whatever a future window forgets to set.
app.enableSandbox()
registerAppScheme()

const paths = appPaths(app.getPath('userData'))
// One redactor for main's log and the core's: a secret the core learns is scrubbed from both.
const redactor = createRedactor()
const { logger } = createAppLogger(paths.logs, { echo: isDev, redactor })
let windows: WindowController | null = null
/** Kept from `profiles:changed`: links may open only on these Dashboards (and the docs). */
let baseUrls: readonly string[] = []

process.on('unhandledRejection', (reason) => {
  logger.error('Unhandled promise rejection', {
    error: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)
  })
})

if (!claimSingleInstance(process.env, () => windows?.show())) {
  app.quit()
} else {
  guardAllWebContents(appOrigin, logger, () => baseUrls)
  // Any throw in launch (the core, the tray, the menu, the window) ends in the error box: an app
  // left running without a window is worse than one that says why it stopped.
  app
    .whenReady()
    .then(() => launch(logger))
    .catch((error: unknown) => fail(error, logger))
}

function launch(log: Logger): void {
  hardenSession(session.defaultSession, {
    appOrigin,
    ...(devServerUrl ? { devServerOrigin: appOrigin } : {})
  })
  if (!isDev) serveRenderer(fileURLToPath(new URL('../renderer', import.meta.url)))

  const notifier = createElectronNotifier(Notification, log, {
    icon: path.join(resourcesDir, 'icon.png')
  })
  const core = createAppCore({
    stores: createElectronStoreFactory(paths.stores, (notice) => {
      log.error('A damaged store file was moved aside', {
        file: notice.file,
        movedTo: notice.movedTo
      })
      notifier.show({
        title: 'Keygate could not read one of its files',
        body: notice.message,
        onClick: () => undefined
      })
    }),
    credentials: createKeytarCredentialStore(),
    notifier,
    clipboard: createElectronClipboard({ clipboard, ClipboardItem }),
    // Exports are written only where the admin chose, modal to the window that asked.
    fileSaver: createElectronFileSaver({
      dialog,
      parent: () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? null,
      startDir: () => app.getPath('documents')
    }),
    logger: log,
    redactor,
    userName: os.userInfo().username,
    clock: systemClock,
    resolveProxy: createElectronProxyResolver(session.defaultSession),
    startDemoPortal
  })

  registerInvokeHandlers({ handlers: core.handlers, appOrigin, logger: log })
  const controller = createWindowController({
    preloadPath: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
    entryUrl: devServerUrl ?? `${APP_ORIGIN}/index.html`,
    iconPath: path.join(resourcesDir, 'icon.png'),
    devTools: isDev,
    logger: log,
    onFocus: () => core.windowFocused(),
    onLoadFailed: (error) => fail(error, log)
  })
  windows = controller
  forwardPushes({
    subscribe: (listener) => core.onPush(listener),
    contents: controller.contents,
    appOrigin
  })

  const tray = createAppTray({
    iconPath: path.join(resourcesDir, 'tray-icon.png'),
    onShow: () => controller.show(),
    onQuit: () => app.quit()
  })
  core.onPush(pendingIndicators(tray))
  core.onPush((message) => {
    if (message.event === 'profiles:changed') {
      baseUrls = message.payload.map((profile) => profile.baseUrl)
    }
  })
  core.onPush((message) => {
    if (message.event === 'notification:clicked') controller.show()
  })

  installAppMenu({
    isDev,
    actions: {
      addPortal: () => {
        controller.show()
        sendPush(
          controller.loadedContents(),
          { event: 'menu:command', payload: { command: 'add-portal' } },
          appOrigin
        )
      },
      about: () => app.showAboutPanel()
    }
  })
  app.setAboutPanelOptions({
    applicationName: 'Keygate',
    applicationVersion: app.getVersion(),
    iconPath: path.join(resourcesDir, 'icon.png')
  })

  stopBeforeQuit(() => core.stop(), log)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => controller.show())

  // Started before the window so interrupted work is reconciled ahead of the first request.
  core.start().catch((error: unknown) => {
    log.error('The core failed to start', {
      error: error instanceof Error ? (error.stack ?? error.message) : String(error)
    })
  })
  controller.show()
}

function fail(error: unknown, log: Logger): void {
  log.error('Keygate could not start', {
    error: error instanceof Error ? (error.stack ?? error.message) : String(error)
  })
  const detail = error instanceof Error ? error.message : String(error)
  dialog.showErrorBox('Keygate could not start', `${detail}\n\nThe log is in ${paths.logs}.`)
  app.exit(1)
}
