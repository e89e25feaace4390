import type { ProfileSummary } from '../../shared/domain'

/** Pending requests across every profile; profiles not yet fetched count as zero. */
export function totalPending(profiles: readonly Pick<ProfileSummary, 'pendingCount'>[]): number {
  return profiles.reduce((sum, profile) => sum + (profile.pendingCount ?? 0), 0)
}

/** The tray tooltip for a pending total. */
export function pendingTooltip(total: number): string {
  if (total === 0) return 'Keygate: no pending key requests'
  return `Keygate: ${total} pending key request${total === 1 ? '' : 's'}`
}
