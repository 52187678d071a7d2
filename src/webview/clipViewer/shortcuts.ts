// The viewer's keys beyond frame stepping (playback.ts) and the W map (yofoInsight.ts), and the one table the help
// panel lists, so the help cannot drift from what the keys do (a unit test maps every listed key back to its action,
// and every key any of those handlers takes to a listed one). Pure.

import { WEIGHT_MAP_KEY } from './yofoInsight';

export type ViewerAction = 'zoomIn' | 'zoomOut' | 'zoomReset' | 'toggleSideBySide' | 'toggleDiff' | 'toggleHelp';

/** + (or =) zoom in, - zoom out, 0 fit, s side by side, d difference overlay, ? help. */
export function viewerKeyAction(key: string): ViewerAction | undefined {
  switch (key) {
    case '+':
    case '=':
      return 'zoomIn';
    case '-':
    case '_':
      return 'zoomOut';
    case '0':
      return 'zoomReset';
    case 's':
    case 'S':
      return 'toggleSideBySide';
    case 'd':
    case 'D':
      return 'toggleDiff';
    case '?':
      return 'toggleHelp';
    default:
      return undefined;
  }
}

export interface Shortcut {
  /** What the help shows in the key column. */
  label: string;
  /** KeyboardEvent.key values the entry stands for (empty for mouse gestures and focus-specific keys). */
  keys: string[];
  what: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { label: '← / →', keys: ['ArrowLeft', 'ArrowRight'], what: 'previous / next frame' },
  { label: 'Home / End', keys: ['Home', 'End'], what: 'first / last frame' },
  { label: 'Space', keys: [' '], what: 'play / pause' },
  { label: '+ / −', keys: ['+', '-'], what: 'zoom in / out (around the centre)' },
  { label: '0', keys: ['0'], what: 'fit the frame (reset zoom and pan)' },
  { label: 'Wheel · drag', keys: [], what: 'zoom around the cursor · pan' },
  { label: 's', keys: ['s'], what: 'side by side: ground truth | prediction' },
  { label: 'd', keys: ['d'], what: 'difference overlay: true positive, false positive, false negative' },
  { label: WEIGHT_MAP_KEY, keys: [WEIGHT_MAP_KEY], what: "YOFO's weight map W over the frame (after a YOFO run)" },
  { label: '?', keys: ['?'], what: 'show / hide this help (Esc closes it)' },
  {
    label: 'Enter',
    keys: [],
    what: 'in the expression list: select; in the text box: add the expression and run YOFO',
  },
  { label: '← / → in the chart', keys: [], what: 'previous / next scored frame (Home / End: first / last)' },
  { label: 'Tab', keys: [], what: 'move between the controls' },
];
