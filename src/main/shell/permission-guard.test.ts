import { describe, expect, it } from 'vitest'
import { APP_ORIGIN } from './origin-guard'
import { isPermissionAllowed } from './permission-guard'

describe('isPermissionAllowed', () => {
  it('lets the app write to the clipboard (the Copy button)', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://keygate/', APP_ORIGIN)).toBe(
      true
    )
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://keygate', APP_ORIGIN)).toBe(true)
  })

  it('refuses the clipboard write to any other origin', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil/', APP_ORIGIN)).toBe(
      false
    )
  })

  it.each(['clipboard-read', 'notifications', 'media', 'geolocation', 'openExternal', 'unknown'])(
    'refuses %s even to the app',
    (permission) =>
      expect(isPermissionAllowed(permission, 'app://keygate/', APP_ORIGIN)).toBe(false)
  )
})
