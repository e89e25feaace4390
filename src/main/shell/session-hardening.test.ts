import type { HeadersReceivedResponse, Session } from 'electron'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { app } from '../../../test/electron-stand-in/app'
import { session } from '../../../test/electron-stand-in/protocol-session'
import { contentSecurityPolicy } from './csp'
import { hardenSession } from './security'

// hardenSession on the recording stand-in's sessions; each case hardens a session of its own.
vi.mock('electron', () => import('../../../test/electron-stand-in/index'))

type StandInSession = typeof session.defaultSession
const appOrigin = 'app://keygate'

function hardened(devServerOrigin?: string): StandInSession {
  const target = new (session.defaultSession.constructor as new () => StandInSession)()
  hardenSession(
    target as unknown as Session,
    devServerOrigin ? { appOrigin, devServerOrigin } : { appOrigin }
  )
  return target
}

function requestPermission(target: StandInSession, permission: string, url: string): boolean {
  let granted: boolean | null = null
  target.permissionRequestHandler?.(
    {} as never,
    permission as never,
    (answer) => (granted = answer),
    { requestingUrl: url } as never
  )
  if (granted === null) throw new Error('the permission request was not answered')
  return granted
}

function headersFor(
  target: StandInSession,
  url: string,
  responseHeaders?: Record<string, string[]>
): HeadersReceivedResponse {
  let answer: HeadersReceivedResponse | null = null
  target.headersListener?.({ url, responseHeaders } as never, (response) => (answer = response))
  if (!answer) throw new Error('the headers were not answered')
  return answer
}

beforeAll(() => app.emitReady())

describe('hardenSession', () => {
  it('grants the clipboard write to the app origin only, and no other permission', () => {
    const target = hardened()
    expect(requestPermission(target, 'clipboard-sanitized-write', 'app://keygate/index.html')).toBe(
      true
    )
    expect(requestPermission(target, 'clipboard-sanitized-write', 'https://evil.example/')).toBe(
      false
    )
    expect(requestPermission(target, 'media', 'app://keygate/index.html')).toBe(false)
    const check = (permission: string, origin: string) =>
      target.permissionCheckHandler?.({} as never, permission as never, origin, {} as never)
    expect(check('clipboard-sanitized-write', 'app://keygate')).toBe(true)
    expect(check('clipboard-sanitized-write', 'https://evil.example')).toBe(false)
    expect(check('notifications', 'app://keygate')).toBe(false)
  })

  it('puts the CSP on app documents, replacing any the response carried', () => {
    const answer = headersFor(hardened(), 'app://keygate/index.html', {
      'content-type': ['text/html'],
      'Content-Security-Policy': ['default-src *'],
      'content-security-policy': ['script-src *']
    })
    expect(answer).toEqual({
      responseHeaders: {
        'content-type': ['text/html'],
        'Content-Security-Policy': [contentSecurityPolicy()]
      }
    })
    expect(headersFor(hardened(), 'app://keygate/')).toEqual({
      responseHeaders: { 'Content-Security-Policy': [contentSecurityPolicy()] }
    })
  })

  it('leaves responses from other origins as they are', () => {
    expect(headersFor(hardened(), 'https://dashboard.example.com/', { a: ['b'] })).toEqual({})
  })

  it('allows the dev server in the CSP in development', () => {
    const answer = headersFor(hardened('http://localhost:5173'), 'app://keygate/index.html')
    expect(answer.responseHeaders?.['Content-Security-Policy']).toEqual([
      contentSecurityPolicy({ devServerOrigin: 'http://localhost:5173' })
    ])
  })
})
