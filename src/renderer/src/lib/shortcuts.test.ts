import { describe, expect, it } from 'vitest'
import { shortcutFor, shortcuts } from './shortcuts'

describe('shortcutFor', () => {
  it('maps every key of the table to its action, wherever focus is', () => {
    for (const shortcut of shortcuts) {
      for (const key of shortcut.keys) {
        expect(shortcutFor(key, false)).toBe(shortcut.action)
        expect(shortcutFor(key, true)).toBe(shortcut.action)
      }
    }
  })

  it('maps list keys (arrows, Enter) only with focus in the list', () => {
    expect(shortcutFor('ArrowDown', true)).toBe('next')
    expect(shortcutFor('ArrowUp', true)).toBe('previous')
    expect(shortcutFor('Enter', true)).toBe('open')
    expect(shortcutFor('ArrowDown', false)).toBeNull()
    expect(shortcutFor('Enter', false)).toBeNull()
  })

  it('ignores keys that are no shortcut', () => {
    expect(shortcutFor('q', true)).toBeNull()
    expect(shortcutFor('A', false)).toBeNull()
  })

  it('gives each key one action', () => {
    const keys = shortcuts.flatMap((shortcut) => [...shortcut.keys, ...shortcut.listKeys])
    expect(new Set(keys).size).toBe(keys.length)
  })
})
