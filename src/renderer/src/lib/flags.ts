import type { RequestFlagKind } from '../../../shared/domain'

/** The chip's word for each flag; its sentence (`RequestFlag.text`) is the tooltip. */
export const flagLabels: Record<RequestFlagKind, string> = {
  duplicate: 'Duplicate',
  'has-access': 'Has access',
  'missing-policy': 'Policy gone',
  'missing-catalogue': 'No catalogue',
  legacy: 'Legacy'
}
