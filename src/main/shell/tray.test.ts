import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { app, cancelableEvent } from '../../../test/electron-stand-in/app'
import { recorder } from '../../../test/electron-stand-in/recorder'
import { Menu, NativeImage, Tray } from '../../../test/electron-stand-in/shell-ui'
import type { ProfileSummary } from '../../shared/domain'
import { testProfile } from '../../shared/testing/profile'
import { installAppMenu } from './menu'
import { pendingIndicators } from './pending-indicators'
import { createAppTray, type AppTray } from './tray'

// The tray, badge and menu wiring against the recording stand-in of `electron`.
vi.mock('electron', () => import('../../../test/electron-stand-in/index'))

const platform = process.platform
function onPlatform(name: NodeJS.Platform): void {
  Object.defineProperty(process, 'platform', { value: name, configurable: true })
}

const actions: string[] = []
function newTray(): { appTray: AppTray; tray: Tray } {
  const appTray = createAppTray({
    iconPath: '/app/resources/tray.png',
    onShow: () => actions.push('show'),
    onQuit: () => actions.push('quit')
  })
  const tray = Tray.live.at(-1)
  if (!tray) throw new Error('no tray was created')
  return { appTray, tray }
}

function summary(id: string, pendingCount: number | null): ProfileSummary {
  const connectivity = {
    state: 'online',
    since: null,
    lastSuccessAt: null,
    lastError: null
  } as const
  const capabilities = {
    decline: 'deletes',
    approve: 'returns-credential',
    idType: 'string'
  } as const
  return { ...testProfile({ id }), capabilities, hasSecret: true, pendingCount, connectivity }
}

/** The arguments of every call named `call` the stand-in recorded since `from`. */
function recorded(call: string, from = 0): unknown[][] {
  return recorder.calls
    .slice(from)
    .filter((r) => r.call === call)
    .map((r) => r.args)
}

beforeAll(() => app.emitReady())
beforeEach(() => {
  actions.length = 0
})
afterEach(() => onPlatform(platform))

describe('createAppTray', () => {
  it('shows the icon from the given path with a tooltip of no pending requests', () => {
    const { tray } = newTray()
    expect(tray.image).toBeInstanceOf(NativeImage)
    expect((tray.image as NativeImage).path).toBe('/app/resources/tray.png')
    expect(tray.toolTip).toBe('Keygate: no pending key requests')
  })

  it('offers Show and Quit in its context menu, apart, and shows the window on a click', () => {
    const { tray } = newTray()
    const menu = tray.contextMenu
    if (!menu) throw new Error('the tray has no context menu')
    expect(menu.items.map((item) => item.label ?? item.type)).toEqual([
      'Show Keygate',
      'separator',
      'Quit Keygate'
    ])
    menu.click('Show Keygate')
    menu.click('Quit Keygate')
    tray.emit('click', cancelableEvent({}))
    expect(actions).toEqual(['show', 'quit', 'show'])
  })

  it('puts the pending total in the tooltip, without a title outside macOS', () => {
    onPlatform('linux')
    const { appTray, tray } = newTray()
    const from = recorder.calls.length
    appTray.setPending(3)
    expect(tray.toolTip).toBe('Keygate: 3 pending key requests')
    expect(recorded(`${tray.standInLabel}.setTitle`, from)).toEqual([])
  })

  it('on macOS also shows the total as the title, and no title at zero', () => {
    onPlatform('darwin')
    const { appTray, tray } = newTray()
    appTray.setPending(2)
    expect(tray.title).toBe('2')
    appTray.setPending(0)
    expect(tray.title).toBe('')
    expect(tray.toolTip).toBe('Keygate: no pending key requests')
  })

  it('is gone once destroyed', () => {
    const { appTray, tray } = newTray()
    appTray.destroy()
    expect(tray.isDestroyed()).toBe(true)
  })
})

describe('pendingIndicators', () => {
  it('keeps the tooltip and the badge on the total pending across profiles', () => {
    const { appTray, tray } = newTray()
    const from = recorder.calls.length
    const update = pendingIndicators(appTray)
    update({ event: 'profiles:changed', payload: [summary('a', 2), summary('b', null)] })
    update({ event: 'profiles:changed', payload: [summary('a', 2), summary('b', 3)] })
    expect(tray.toolTip).toBe('Keygate: 5 pending key requests')
    expect(recorded('app.setBadgeCount', from)).toEqual([[2], [5]])
  })

  it('touches neither when the total did not change, nor for other pushes', () => {
    const { appTray, tray } = newTray()
    const update = pendingIndicators(appTray)
    update({ event: 'profiles:changed', payload: [summary('a', 1)] })
    const from = recorder.calls.length
    update({ event: 'profiles:changed', payload: [summary('b', 1)] })
    update({ event: 'requests:changed', payload: { profileIds: ['a'] } })
    expect(recorded('app.setBadgeCount', from)).toEqual([])
    expect(recorded(`${tray.standInLabel}.setToolTip`, from)).toEqual([])
  })

  it('updates the badge alone when there is no tray', () => {
    const from = recorder.calls.length
    const update = pendingIndicators(null)
    update({ event: 'profiles:changed', payload: [summary('a', 0)] })
    update({ event: 'profiles:changed', payload: [summary('a', 4)] })
    expect(recorded('app.setBadgeCount', from)).toEqual([[0], [4]])
  })
})

describe('installAppMenu', () => {
  function install(isDev: boolean): Menu {
    const clicked: string[] = []
    installAppMenu({
      isDev,
      actions: { addPortal: () => clicked.push('add'), about: () => clicked.push('about') }
    })
    const menu = Menu.applicationMenu
    if (!menu) throw new Error('no application menu was set')
    menu.click('add-portal')
    menu.click('about')
    expect(clicked).toEqual(['add', 'about'])
    return menu
  }

  it('sets the application menu, with the app menu on macOS only', () => {
    onPlatform('darwin')
    expect(install(false).items[0]?.role).toBe('appMenu')
    onPlatform('linux')
    expect(install(false).items[0]?.label).toBe('&File')
  })

  it('offers reload and DevTools in development only', () => {
    const roles = (menu: Menu) =>
      menu.items.flatMap((m) => ((m.submenu ?? []) as { role?: string }[]).map((i) => i.role))
    expect(roles(install(true))).toContain('toggleDevTools')
    expect(roles(install(false))).not.toContain('toggleDevTools')
  })
})
