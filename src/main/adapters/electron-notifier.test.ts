import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { Logger } from '../core/ports'
import { createElectronNotifier, type NotificationClass } from './electron-notifier'

/** Stands in for Electron's Notification: an EventEmitter that records what was shown. */
function fakeNotificationClass(supported: { value: boolean }) {
  const shown: FakeNotification[] = []
  class FakeNotification extends EventEmitter {
    constructor(readonly options: { title: string; body: string; icon?: string }) {
      super()
    }
    show(): void {
      shown.push(this)
    }
    static isSupported(): boolean {
      return supported.value
    }
  }
  return { Notification: FakeNotification satisfies NotificationClass, shown }
}

const warnings: string[] = []
const logger: Logger = { info: () => {}, warn: (m) => void warnings.push(m), error: () => {} }

describe('createElectronNotifier', () => {
  it('shows the notification and runs onClick when it is clicked', () => {
    const { Notification, shown } = fakeNotificationClass({ value: true })
    const notifier = createElectronNotifier(Notification, logger, { icon: '/icon.png' })
    const clicks: string[] = []
    notifier.show({
      title: '3 new key requests on Production',
      body: 'a@b.c',
      onClick: () => clicks.push('x')
    })
    expect(shown.map((n) => n.options)).toEqual([
      { title: '3 new key requests on Production', body: 'a@b.c', icon: '/icon.png' }
    ])
    shown[0]?.emit('click', {})
    expect(clicks).toEqual(['x'])
  })

  it('holds each shown notification until clicked, closed or failed', () => {
    const { Notification, shown } = fakeNotificationClass({ value: true })
    const notifier = createElectronNotifier(Notification, logger)
    for (let i = 0; i < 3; i++) notifier.show({ title: `t${i}`, body: '', onClick: () => {} })
    expect(notifier.retained).toBe(3)
    shown[0]?.emit('click', {})
    shown[1]?.emit('close', {})
    expect(notifier.retained).toBe(1)
    shown[2]?.emit('failed', {}, 'no notification daemon')
    expect(notifier.retained).toBe(0)
    expect(warnings).toContain('A system notification could not be shown')
  })

  it('lets go of the oldest once too many are outstanding', () => {
    const { Notification } = fakeNotificationClass({ value: true })
    const notifier = createElectronNotifier(Notification, logger)
    for (let i = 0; i < 80; i++) notifier.show({ title: `t${i}`, body: '', onClick: () => {} })
    expect(notifier.retained).toBe(50)
  })

  it('asks the platform on every call and shows nothing where unsupported', () => {
    const supported = { value: false }
    const { Notification, shown } = fakeNotificationClass(supported)
    const notifier = createElectronNotifier(Notification, logger)
    expect(notifier.isSupported()).toBe(false)
    notifier.show({ title: 't', body: '', onClick: () => {} })
    expect(shown).toEqual([])
    supported.value = true
    expect(notifier.isSupported()).toBe(true)
    notifier.show({ title: 't', body: '', onClick: () => {} })
    expect(shown).toHaveLength(1)
  })
})
