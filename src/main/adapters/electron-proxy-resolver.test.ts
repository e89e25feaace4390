import { describe, expect, it } from 'vitest'
import { createElectronProxyResolver } from './electron-proxy-resolver'

describe('createElectronProxyResolver', () => {
  it('asks the session about each URL and uses the proxy it names', async () => {
    const asked: string[] = []
    const resolve = createElectronProxyResolver({
      resolveProxy: async (url) => {
        asked.push(url)
        return url.includes('internal') ? 'DIRECT' : 'PROXY proxy.corp:3128; DIRECT'
      }
    })
    expect(await resolve('https://dash.example.com/api/portal/requests')).toEqual({
      host: 'proxy.corp',
      port: 3128,
      authorization: null
    })
    expect(await resolve('https://dash.internal/api')).toBeNull()
    expect(asked).toEqual([
      'https://dash.example.com/api/portal/requests',
      'https://dash.internal/api'
    ])
  })
})
