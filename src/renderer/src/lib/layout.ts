/** Below this width the detail is a pane over the list; styles.css uses the same breakpoint. */
export const NARROW_LAYOUT = '(max-width: 1100px)'

export function isNarrowLayout(): boolean {
  return window.matchMedia(NARROW_LAYOUT).matches
}
