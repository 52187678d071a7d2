// An AnnotationsLocation for the unit tests: a workspace folder, the rvos.annotationsFile setting, an open dataset and
// the extension storage, as plain values; the notices the user would see are collected.

import type { AnnotationsLocation } from '../../src/host/annotations/annotations';

export interface TestLocation extends AnnotationsLocation {
  notices: string[];
}

export function annotationsLocation(
  workspaceDir: string | undefined,
  {
    setting = '',
    datasetRoot,
    storageDir = '/nonexistent-storage',
  }: { setting?: string; datasetRoot?: string; storageDir?: string } = {},
): TestLocation {
  const notices: string[] = [];
  return {
    notices,
    workspaceDir: () => workspaceDir,
    setting: () => setting,
    datasetRoot: () => datasetRoot,
    storageDir: () => storageDir,
    notify: (message) => notices.push(message),
  };
}
