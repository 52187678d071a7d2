// The viewer's keys: frame stepping and play (←/→, Home/End, space) wherever they mean nothing to the focused
// control, and the viewer's own letters and signs (zoom, layout, difference, help) outside text entry.

import { isTextEntry } from '../shared/dom';
import type { ViewerActions, ViewerContext } from './context';
import { keyAction, stepFrame } from './playback';
import { viewerKeyAction } from './shortcuts';

/** Controls that handle the frame keys themselves (sliders, checkboxes, selects, the list). */
function isInteractive(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.tagName === 'INPUT' ||
      target.tagName === 'SELECT' ||
      target.tagName.startsWith('VSCODE-') ||
      target.classList.contains('expression'))
  );
}

export function installKeyboard(ctx: ViewerContext, actions: ViewerActions): void {
  const { ui, stage, store } = ctx;

  /** The viewer's own keys; true when the key was one of them. */
  const viewerKey = (e: KeyboardEvent): boolean => {
    if (e.key === 'Escape' && !ui.help.hidden) {
      actions.showHelp(false);
      ui.helpToggle.focus();
      return true;
    }
    const action = viewerKeyAction(e.key);
    const state = store.state;
    if (!action || e.ctrlKey || e.metaKey || e.altKey || isTextEntry(e.target) || !state) return false;
    switch (action) {
      case 'zoomIn':
        stage.zoomIn();
        break;
      case 'zoomOut':
        stage.zoomOut();
        break;
      case 'zoomReset':
        stage.fit();
        break;
      case 'toggleSideBySide':
        actions.changeView({ layout: state.layout === 'sideBySide' ? 'single' : 'sideBySide' });
        break;
      case 'toggleDiff':
        actions.changeView({ diff: !state.diff });
        break;
      case 'toggleHelp':
        actions.showHelp(ui.help.hidden);
        break;
    }
    return true;
  };

  document.addEventListener('keydown', (e) => {
    if (viewerKey(e)) {
      e.preventDefault();
      return;
    }
    const action = keyAction(e.key);
    const { clip, state } = store;
    if (!action || !clip || !state) return;
    if (isInteractive(e.target)) return;
    e.preventDefault();
    if (action === 'togglePlay') actions.setPlaying(!actions.isPlaying());
    else {
      actions.setPlaying(false);
      void actions.setFrame(stepFrame(state.frameIndex, clip.frames.length, action));
    }
  });
}
