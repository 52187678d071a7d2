// The Failures panel's keyboard: one table that both decides what a key does and fills the panel's help list.

export type FailuresAction =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'first'
  | 'last'
  | 'open'
  | 'focusFilter'
  | 'help'
  | 'tags'
  | 'note'
  | 'save'
  | 'clear'
  | 'escape';

export interface Shortcut {
  /** Keys as shown in the help. */
  keys: string;
  /** The action of the first key named (informational entries have none). */
  action?: FailuresAction;
  description: string;
  /** Also active while typing in a text field. */
  inFields?: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: '↓ / ↑', action: 'down', description: 'next / previous expression in the list' },
  { keys: 'Page Down / Page Up', action: 'pageDown', description: 'a page down / up' },
  { keys: 'Home / End', action: 'first', description: 'first / last expression' },
  { keys: 'Enter', action: 'open', description: 'open the clip viewer on the expression at its worst frame' },
  { keys: '/', action: 'focusFilter', description: 'type words to find in the expressions' },
  { keys: 't', action: 'tags', description: 'edit the tags of the selected expression' },
  { keys: 'n', action: 'note', description: 'edit the note of the selected expression' },
  {
    keys: 'Ctrl+Enter',
    action: 'save',
    description: 'save the tags and the note (in the tags or note field)',
    inFields: true,
  },
  { keys: 'c', action: 'clear', description: 'clear every filter' },
  { keys: 'Esc', action: 'escape', description: 'back to the list (closes this help)', inFields: true },
  { keys: '?', action: 'help', description: 'show or hide this list' },
  { keys: 'Tab', description: 'move between the controls; a histogram bar filters with Enter or Space' },
];

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/** What a key does; `inField`: the focus is in a text field or a select, where only Esc and Ctrl+Enter are ours. */
export function failuresKeyAction(e: KeyInput, inField: boolean): FailuresAction | undefined {
  const mod = e.ctrlKey === true || e.metaKey === true;
  if (e.key === 'Escape') return 'escape';
  if (e.key === 'Enter' && mod) return 'save';
  if (inField || e.altKey || mod) return undefined;
  switch (e.key) {
    case 'ArrowDown':
      return 'down';
    case 'ArrowUp':
      return 'up';
    case 'PageDown':
      return 'pageDown';
    case 'PageUp':
      return 'pageUp';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'Enter':
      return 'open';
    case '/':
      return 'focusFilter';
    case '?':
      return 'help';
    case 't':
      return 'tags';
    case 'n':
      return 'note';
    case 'c':
      return 'clear';
    default:
      return undefined;
  }
}
