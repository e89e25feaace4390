/** What a shortcut does; the key handler switches on these, the help dialog lists them. */
export type ShortcutAction =
  | 'next'
  | 'previous'
  | 'open'
  | 'back'
  | 'approve'
  | 'decline'
  | 'search'
  | 'help'
  | 'pick'
  | 'extend-next'
  | 'extend-previous'
  | 'pick-all'
  | 'undo'

export interface Shortcut {
  action: ShortcutAction
  /** `KeyboardEvent.key` values that work wherever focus is (except while typing). */
  keys: readonly string[]
  /** Keys that work only with focus in the request list (elsewhere they scroll or press). */
  listKeys: readonly string[]
  /** Keys that work with Ctrl (Cmd on macOS) held, wherever focus is (except while typing). */
  modKeys?: readonly string[]
  description: string
}

/** The one table of shortcuts: the key handler and the `?` dialog both read it. */
export const shortcuts: readonly Shortcut[] = [
  { action: 'next', keys: ['j'], listKeys: ['ArrowDown'], description: 'Next request' },
  { action: 'previous', keys: ['k'], listKeys: ['ArrowUp'], description: 'Previous request' },
  {
    action: 'open',
    keys: [],
    listKeys: ['Enter'],
    description: 'Open the selected request (narrow window)'
  },
  {
    action: 'back',
    keys: ['Escape'],
    listKeys: [],
    description: 'Back to the list (narrow window); first clears a selection'
  },
  {
    action: 'pick',
    keys: ['x'],
    listKeys: [],
    description: 'Select or unselect the request for a bulk decision'
  },
  {
    action: 'extend-next',
    keys: ['J'],
    listKeys: [],
    description: 'Extend the selection down (Shift+J; Shift-click picks a range)'
  },
  { action: 'extend-previous', keys: ['K'], listKeys: [], description: 'Extend the selection up' },
  {
    action: 'pick-all',
    keys: [],
    listKeys: [],
    modKeys: ['a'],
    description: 'Select every request the search shows (Ctrl-click toggles one)'
  },
  {
    action: 'undo',
    keys: ['z'],
    listKeys: [],
    modKeys: ['z'],
    description: 'Undo the last decision while it waits to be sent'
  },
  { action: 'approve', keys: ['a'], listKeys: [], description: 'Approve the selected request' },
  { action: 'decline', keys: ['d'], listKeys: [], description: 'Decline the selected request…' },
  { action: 'search', keys: ['/'], listKeys: [], description: 'Search' },
  { action: 'help', keys: ['?'], listKeys: [], description: 'Show these shortcuts' }
]

const anywhere = new Map<string, ShortcutAction>()
const inList = new Map<string, ShortcutAction>()
const withMod = new Map<string, ShortcutAction>()
for (const shortcut of shortcuts) {
  for (const key of shortcut.keys) anywhere.set(key, shortcut.action)
  for (const key of shortcut.listKeys) inList.set(key, shortcut.action)
  for (const key of shortcut.modKeys ?? []) withMod.set(key, shortcut.action)
}

/** The action a key press stands for, given whether focus is in the request list. */
export function shortcutFor(key: string, focusInList: boolean): ShortcutAction | null {
  return anywhere.get(key) ?? (focusInList ? inList.get(key) : undefined) ?? null
}

/** The action of a key pressed with Ctrl or Cmd (Ctrl+A, Ctrl+Z), case-insensitive. */
export function modShortcutFor(key: string): ShortcutAction | null {
  return withMod.get(key.toLowerCase()) ?? null
}

/** How a key is shown: "↓" rather than "ArrowDown". */
export function keyLabel(key: string): string {
  const names: Record<string, string> = {
    ArrowDown: '↓',
    ArrowUp: '↑',
    Enter: 'Enter',
    Escape: 'Esc',
    J: 'Shift+J',
    K: 'Shift+K'
  }
  return names[key] ?? key
}
