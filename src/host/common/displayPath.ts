// How a file path is shown to the user: a file of the extension's own storage by what it is (its path is long,
// internal and nothing to act on), a file in the workspace relative to it, anything else as it is. Pure.

import * as path from 'node:path';
import { isInside } from '../../core/safePath';

export interface PathPlaces {
  workspaceDir?: string;
  /** The extension's storage folder (workspace or global storage). */
  storageDir?: string;
}

export function userFacingPath(file: string, places: PathPlaces): string {
  if (places.storageDir !== undefined && isInside(places.storageDir, file))
    return `the extension's storage (${path.basename(file)})`;
  if (places.workspaceDir !== undefined && isInside(places.workspaceDir, file) && file !== places.workspaceDir)
    return path.relative(places.workspaceDir, file);
  return file;
}
