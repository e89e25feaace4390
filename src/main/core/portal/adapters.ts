import { createPortalAdapterRegistry, type PortalAdapterRegistry } from './portal-adapter'
import { tykClassicAdapter } from './tyk-classic/tyk-classic-adapter'

/** Every portal kind this build can talk to; a new kind adds its adapter here. */
export const portalAdapters: PortalAdapterRegistry = createPortalAdapterRegistry([
  tykClassicAdapter
])
