import type { FaultInjector } from './faults'
import type { PortalService } from './service'
import { parseSwitchesPatch } from './settings'
import type { EmulatorControl, EmulatorSwitches } from './types'

/** The library control surface: test and benchmark code drives the emulator through it. */
export function createControl(service: PortalService, faults: FaultInjector): EmulatorControl {
  return {
    setFaults: (patch) => faults.set(patch),
    clearFaults: () => faults.clear(),
    faults: () => faults.faults,
    setSwitches: (patch) => {
      Object.assign(service.switches, parseSwitchesPatch(patch))
    },
    switches: (): EmulatorSwitches => ({ ...service.switches }),
    reset: () => service.reset(),
    insertRequests: (docs) => service.insertRequests(docs),
    generatePending: (count) => service.generatePending(count),
    approveDirectly: (id) => service.approveDirectly(id),
    deleteDirectly: (id) => service.deleteDirectly(id),
    deletePolicy: (id) => service.deletePolicy(id),
    deleteDeveloper: (id) => service.deleteDeveloper(id),
    deleteCatalogueEntry: (policyId) => service.deleteCatalogueEntry(policyId),
    getRequest: (id) => service.requestDocument(id),
    requestIds: (filter) => service.requestIds(filter),
    issuedKeys: (id) => service.issuedKeys(id),
    stats: () => service.stats(),
    exportState: () => service.exportState()
  }
}
