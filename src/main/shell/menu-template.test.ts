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

describe('appMenuTemplate', () => {
  it('has no reload and no DevTools in production', () => {
    const roles = build(false).items.map((item) => item.role)
    expect(roles).not.toContain('reload')
    expect(roles).not.toContain('forceReload')
    expect(roles).not.toContain('toggleDevTools')
    expect(roles).toContain('quit')
  })

  it('offers reload and DevTools in development', () => {
    const roles = build(true).items.map((item) => item.role)
    expect(roles).toContain('reload')
    expect(roles).toContain('toggleDevTools')
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
