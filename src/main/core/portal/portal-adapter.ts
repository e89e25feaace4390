import type { ConnectionTest, PortalCapabilities, PortalKind } from '../../../shared/domain'
import { AppFailure } from '../../../shared/result'
import type { PortalClient, PortalClientOptions } from './portal-client'

export type { PortalCapabilities }

/** One portal kind: how to talk to it, how to test a connection, what its verbs mean. */
export interface PortalAdapter {
  readonly kind: PortalKind
  readonly capabilities: PortalCapabilities
  createClient(options: PortalClientOptions): PortalClient
  /** "Test connection": reach, TLS, secret, permissions, each as its own check; never throws for a refusal. */
  testConnection(options: PortalClientOptions): Promise<ConnectionTest>
}

/** The adapters Keygate knows, by `profile.kind`. */
export interface PortalAdapterRegistry {
  adapterFor(kind: PortalKind): PortalAdapter
}

export function createPortalAdapterRegistry(
  adapters: readonly PortalAdapter[]
): PortalAdapterRegistry {
  const byKind = new Map(adapters.map((adapter) => [adapter.kind, adapter]))
  return {
    adapterFor(kind) {
      const adapter = byKind.get(kind)
      // A profile saved by a newer Keygate, of a kind this one cannot talk to.
      if (!adapter)
        throw new AppFailure(
          'VALIDATION',
          `This version of Keygate cannot talk to portals of kind "${kind}"`
        )
      return adapter
    }
  }
}
