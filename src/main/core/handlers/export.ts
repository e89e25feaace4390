import { AppFailure } from '../../../shared/result'
import type { KeyRequest } from '../../../shared/domain'
import type { DecisionLog } from '../decisions/decision-log'
import { buildExport } from '../export/exports'
import type { Clock, FileSaver, Logger } from '../ports'
import type { ProfileService } from '../profiles/profile-service'
import { withFlags } from '../triage/flags'
import type { TriageContext } from '../triage/triage-context'
import { removedPortals } from './decisions'
import type { HandlersFor } from './handler-types'

export interface ExportHandlerDeps {
  fileSaver: FileSaver | undefined
  profiles: Pick<ProfileService, 'get' | 'list'>
  decisions: Pick<DecisionLog, 'list' | 'removedPortals'>
  /** Every pending request Keygate shows now, across profiles. */
  pending: () => KeyRequest[]
  triage: Pick<TriageContext, 'facts'>
  clock: Clock
  logger: Logger
}

/** `export:save`: decisions or the pending list as a file the admin picks in the save dialog. */
export function exportHandlers(deps: ExportHandlerDeps): HandlersFor<'export:save'> {
  return {
    'export:save': async (args) => {
      const { fileSaver, profiles } = deps
      if (!fileSaver) {
        throw new AppFailure(
          'INTERNAL',
          'Export needs the save dialog, and no Keygate window is open to show it: open the window and export again',
          false
        )
      }
      // Only decisions outlive their portal: a deleted one is named like any other.
      const removed = args.what === 'decisions' ? removedPortals(deps) : []
      const kept = new Set(removed.map((portal) => portal.profileId))
      for (const profileId of args.profileIds ?? []) {
        if (!kept.has(profileId)) profiles.get(profileId)
      }
      const { file, rows } = buildExport(args, {
        profiles: profiles.list(),
        removedPortals: removed,
        decisions: (profileId) => deps.decisions.list(profileId),
        pending: () => withFlags(deps.pending(), (profileId) => deps.triage.facts(profileId)),
        now: deps.clock.now()
      })
      const result = await fileSaver.save(file).catch((e: unknown) => {
        const code = (e as { code?: unknown }).code
        deps.logger.error('Could not write an export', { error: e })
        throw new AppFailure(
          'INTERNAL',
          `Could not write the export file${typeof code === 'string' ? ` (${code})` : ''}: choose another folder and export again`,
          false
        )
      })
      return result.saved
        ? { saved: true, path: result.path, rows }
        : { saved: false, path: null, rows }
    }
  }
}
