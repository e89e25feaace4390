import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { appMenuTemplate } from './menu-template'

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? flatten(item.submenu as MenuItemConstructorOptions[]) : [])
  ])
}

function build(isDev: boolean, isMac = false) {
  const clicked: string[] = []
  const template = appMenuTemplate({
    isDev,
    isMac,
    actions: { addPortal: () => clicked.push('add-portal'), about: () => clicked.push('about') }
  })
  return { items: flatten(template), template, clicked }
}

/** Each menu as the user reads it: its title, then each item's label, role or `---`. */
function outline(template: MenuItemConstructorOptions[]): string[][] {
  return template.map((menu) => [
    menu.label ?? menu.role ?? '',
    ...((menu.submenu ?? []) as MenuItemConstructorOptions[]).map((item) =>
      item.type === 'separator'
        ? '---'
        : [item.label ?? item.role, item.accelerator].filter(Boolean).join(' ')
    )
  ])
}

describe('appMenuTemplate', () => {
  it('shows File, Edit, View and Help, with Quit (Close on macOS, under the app menu there)', () => {
    const view = ['&View', 'resetZoom', 'zoomIn', 'zoomOut', '---', 'togglefullscreen']
    const edit = ['&Edit', 'undo', 'redo', '---', 'cut', 'copy', 'paste', 'selectAll']
    const help = ['&Help', 'About Keygate']
    expect(outline(build(false).template)).toEqual([
      ['&File', 'Add Portal… CmdOrCtrl+N', '---', 'quit'],
      edit,
      view,
      help
    ])
    expect(outline(build(false, true).template)).toEqual([
      ['appMenu'],
      ['&File', 'Add Portal… CmdOrCtrl+N', '---', 'close'],
      edit,
      view,
      help
    ])
    expect(build(false).template.at(-1)?.role).toBe('help')
  })

  it('has no reload and no DevTools in production', () => {
    const roles = build(false).items.map((item) => item.role)
    expect(roles).not.toContain('reload')
    expect(roles).not.toContain('forceReload')
    expect(roles).not.toContain('toggleDevTools')
    expect(roles).toContain('quit')
  })

  it('offers reload and DevTools in development, set apart from the zoom items', () => {
    expect(outline(build(true).template)[2]).toEqual([
      '&View',
      'reload',
      'toggleDevTools',
      '---',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      '---',
      'togglefullscreen'
    ])
  })

  it('runs the Add Portal and About actions', () => {
    const { items, clicked } = build(false)
    const click = (id: string) => {
      const item = items.find((candidate) => candidate.id === id)
      ;(item?.click as (() => void) | undefined)?.()
    }
    click('add-portal')
    click('about')
    expect(clicked).toEqual(['add-portal', 'about'])
  })

  it('has the editing roles text fields need', () => {
    const roles = build(false).items.map((item) => item.role)
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']) {
      expect(roles).toContain(role)
    }
  })

  it('leads with the app menu on macOS', () => {
    expect(build(false, true).template[0]?.role).toBe('appMenu')
    expect(build(false, false).template[0]?.label).toBe('&File')
  })
})
