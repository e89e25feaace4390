import type { WebContents } from 'electron'
import { describe, expect, it } from 'vitest'
import type { PushMessage } from '../../shared/ipc'
import { forwardPushes } from './forward-pushes'

/** A WebContents as far as pushes see it: its URL, whether it is gone, and what it was sent. */
function fakeContents(url: string, destroyed = false) {
  const sent: unknown[][] = []
  const contents = {
    getURL: () => url,
    isDestroyed: () => destroyed,
    send: (...args: unknown[]) => void sent.push(args)
  }
  return { contents: contents as unknown as WebContents, sent }
}

const message: PushMessage = { event: 'requests:changed', payload: { profileIds: ['prod'] } }

function forwardOnce(contents: WebContents | null): void {
  let listener: (message: PushMessage) => void = () => {}
  const unsubscribe = forwardPushes({
    subscribe: (next) => {
      listener = next
      return () => {}
    },
    contents: () => contents,
    appOrigin: 'app://keygate'
  })
  listener(message)
  unsubscribe()
}

describe('forwardPushes', () => {
  it('sends each push as its event and payload to the app’s own page', () => {
    const window = fakeContents('app://keygate/index.html')
    forwardOnce(window.contents)
    expect(window.sent).toEqual([['requests:changed', { profileIds: ['prod'] }]])
  })

  it('sends nothing to a page of another origin, a destroyed window or no window', () => {
    const foreign = fakeContents('https://evil.example/')
    const destroyed = fakeContents('app://keygate/index.html', true)
    forwardOnce(foreign.contents)
    forwardOnce(destroyed.contents)
    forwardOnce(null)
    expect([...foreign.sent, ...destroyed.sent]).toEqual([])
  })
})
