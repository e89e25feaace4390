import type { PortalAdapter } from '../portal-adapter'
import { testConnection } from './connection-test'
import { createTykClassicClient } from './tyk-classic-client'

/**
 * The Tyk Classic Developer Portal (docs/architecture.md#tyk-classic): a decline is a DELETE,
 * an approve answers the credential, ids are Mongo object id strings.
 */
export const tykClassicAdapter: PortalAdapter = {
  kind: 'tyk-classic',
  capabilities: { decline: 'deletes', approve: 'returns-credential', idType: 'string' },
  createClient: createTykClassicClient,
  testConnection
}
