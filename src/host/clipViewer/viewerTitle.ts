// The tab title of a clip viewer: the clip, plus the dataset it shows when that is not the one open in the session
// (a viewer left open across Open Dataset, or restored from another workspace state).

import { homeLabel, sameHome, type RunHome } from '../session/runHome';

export function viewerTitle(videoId: string, shown: RunHome, open: RunHome | undefined): string {
  return open && sameHome(shown, open) ? videoId : `${videoId} (${homeLabel(shown)})`;
}
