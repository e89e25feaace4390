import { describe, expect, it } from 'vitest'
import { mainWindowOptions } from './window-options'

const options = { preloadPath: '/app/out/preload/index.cjs', iconPath: '/app/icon.png' }

describe('mainWindowOptions', () => {
  it('gives the renderer the security baseline: sandboxed, isolated, no Node, no webviews', () => {
    expect(mainWindowOptions({ ...options, devTools: false }).webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: false
    })
  })

  it('opens DevTools only when asked, and shows the window once it is ready', () => {
    const window = mainWindowOptions({ ...options, devTools: true })
    expect(window.webPreferences?.devTools).toBe(true)
    expect(window).toMatchObject({
      show: false,
      icon: '/app/icon.png',
      title: 'Keygate',
      autoHideMenuBar: false
    })
  })
})
