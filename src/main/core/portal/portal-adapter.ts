import type { ConnectionTest, PortalKind } from '../../../shared/domain'
import { AppFailure } from '../../../shared/result'
import type { PortalClient, PortalClientOptions } from './portal-client'

/**
 * What a portal kind's verbs mean, for the outbox's rules and the words users read
 * (docs/architecture.md#portal-seam).
 */
export interface PortalCapabilities {
  /**
   * `deletes`: a declined request is gone, and "gone" reads as declined (Tyk Classic's DELETE).
   * `rejects`: it stays on the portal, marked rejected.
   */
  decline: 'deletes' | 'rejects'
  /**
   * `returns-credential`: the approve answer carries the key, shown once. `attaches-credential`:
   * the portal attaches it to the developer's app, and the approve answer carries none.
   */
  approve: 'returns-credential' | 'attaches-credential'
  /** How the portal spells request ids (they always cross Keygate as strings). */
  idType: 'string' | 'integer'
}

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
