/** Test support for transport tests: a GET request and the failure a call rejected with. */
import { expect } from 'vitest'
import { HttpTransportError, type HttpRequest } from '../ports'

export const get = (url: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'GET',
  url,
  headers: {},
  timeoutMs: 5_000,
  ...extra
})

export async function failureOf(promise: Promise<unknown>): Promise<HttpTransportError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(HttpTransportError)
    return error as HttpTransportError
  }
  throw new Error('expected the request to fail')
}
