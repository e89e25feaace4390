import http from 'node:http'
import type { Socket } from 'node:net'
import { HttpTransportError } from '../ports'
import type { ProxyServer } from './proxy'
import { toTransportError } from './transport-failure'

/**
 * Opens a CONNECT tunnel through `proxy` to host:port. The proxy sees only the target's name and
 * port; TLS (and with it the API key) runs end to end inside the tunnel.
 */
export function openTunnel(proxy: ProxyServer, host: string, port: number): Promise<Socket> {
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`
  const via = `${proxy.host}:${proxy.port}`
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: proxy.host,
      port: proxy.port,
      method: 'CONNECT',
      path: target,
      agent: false,
      headers: {
        host: target,
        ...(proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {})
      }
    })
    request.once('connect', (response, socket) => {
      if (response.statusCode === 200) {
        resolve(socket)
        return
      }
      socket.destroy()
      const status = response.statusCode ?? 0
      const hint = status === 407 ? ': it wants credentials (put them in the proxy URL)' : ''
      reject(
        new HttpTransportError(
          'refused',
          false,
          `the proxy ${via} refused a tunnel to ${target} (HTTP ${status})${hint}`
        )
      )
    })
    request.once('error', (error) => reject(toTransportError(error, false, `the proxy ${via}`)))
    request.end()
  })
}
