// The workspace's tags and notes (an AnnotationsStore, by default `<workspace>/.rvos/annotations.json`, or the file
// `rvos.annotationsFile` names) for the panel and the commands: loaded once and shared, edits saved one after the
// other (atomic writes), listeners told of every change. A malformed file is reported and never overwritten; without a
// workspace folder (and no absolute `rvos.annotationsFile`) there is nowhere to keep them.
// Nothing is written inside the opened dataset folder (a workspace opened on the dataset itself would otherwise get
// `.rvos/` in it): such a file is still read, but edits go to the extension's storage, and the user is told once.

import { access } from 'node:fs/promises';
import * as path from 'node:path';
import { AnnotationsStore, type Annotation } from '../../core/analysis/annotationsStore';
import { resolveExisting } from '../../core/report/outputFile';
import { isInside } from '../../core/safePath';
import { userFacingPath } from '../common/displayPath';

export const NO_WORKSPACE_FOLDER =
  'no workspace folder is open: tags and notes are kept in <folder>/.rvos/annotations.json of the first workspace folder (File > Open Folder…), or in the file the rvos.annotationsFile setting names (an absolute path)';

export class NoWorkspaceFolderError extends Error {
  constructor() {
    super(NO_WORKSPACE_FOLDER);
    this.name = 'NoWorkspaceFolderError';
  }
}

/** Where the annotations are, asked on every use so a folder opened later or a changed setting needs no reload. */
export interface AnnotationsLocation {
  /** The first workspace folder. */
  workspaceDir(): string | undefined;
  /** `rvos.annotationsFile`: empty = `<workspace folder>/.rvos/annotations.json`; relative = against the workspace folder. */
  setting(): string;
  /** The opened dataset folder, inside which nothing is written. */
  datasetRoot(): string | undefined;
  /** The extension's own storage folder (workspace storage, else global), used instead of a file inside the dataset. */
  storageDir(): string;
  /** Tells the user something once (that edits go to the storage instead of the dataset). */
  notify(message: string): void;
}

/** The file tags and notes are read from (`file`) and the one edits are saved to (`saveTo`, the same unless redirected). */
export interface AnnotationsPlace {
  file: string;
  saveTo: string;
  /** The dataset folder `file` lies in, when edits are redirected to the storage. */
  insideDataset?: string;
}

export const STORAGE_ANNOTATIONS_FILE = 'annotations.json';

/** Where the annotations are for these settings; undefined when there is no workspace folder to put them in. */
export function annotationsPlace(
  setting: string,
  workspaceDir: string | undefined,
  datasetRoot: string | undefined,
  storageDir: string,
): AnnotationsPlace | undefined {
  let file: string;
  if (setting === '') {
    if (workspaceDir === undefined) return undefined;
    file = AnnotationsStore.fileIn(workspaceDir);
  } else if (path.isAbsolute(setting)) {
    file = path.normalize(setting);
  } else {
    if (workspaceDir === undefined) return undefined;
    file = path.resolve(workspaceDir, setting);
  }
  // Links resolved on both sides, so neither a link to the dataset nor a dataset opened through a link hides it.
  if (datasetRoot !== undefined && isInside(resolveExisting(datasetRoot), resolveExisting(file))) {
    return { file, saveTo: path.join(storageDir, STORAGE_ANNOTATIONS_FILE), insideDataset: datasetRoot };
  }
  return { file, saveTo: file };
}

/** What the user is told (once) when edits are saved to the storage instead of a file inside the dataset. */
export function redirectNotice(place: AnnotationsPlace): string {
  return (
    `tags and notes are not written to ${place.file}: it lies inside the dataset folder ${place.insideDataset}, which is never modified. ` +
    `They are read from there until the first edit and saved to ${place.saveTo}; set rvos.annotationsFile to a file outside the dataset to keep them elsewhere.`
  );
}

export interface AnnotationChange {
  tags?: readonly string[];
  note?: string;
}

export class WorkspaceAnnotations {
  private loading: { key: string; store: Promise<AnnotationsStore> } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  /** Redirections the user was told of (file → storage), so each is told once. */
  private readonly told = new Set<string>();

  constructor(private readonly location: AnnotationsLocation) {}

  /** Where the annotations are read from and saved to now; undefined without a workspace folder. */
  get place(): AnnotationsPlace | undefined {
    const l = this.location;
    return annotationsPlace(l.setting(), l.workspaceDir(), l.datasetRoot(), l.storageDir());
  }

  /** The file edits are saved to, or undefined without a workspace folder. */
  get file(): string | undefined {
    return this.place?.saveTo;
  }

  /** `file` as the user is shown it: relative to the workspace folder, or "the extension's storage (…)". */
  get fileLabel(): string | undefined {
    const file = this.file;
    return file === undefined
      ? undefined
      : userFacingPath(file, { workspaceDir: this.location.workspaceDir(), storageDir: this.location.storageDir() });
  }

  /** The store; rejects with NoWorkspaceFolderError, or the InputError of a malformed file (asked again next time). */
  load(): Promise<AnnotationsStore> {
    return this.loadAt(this.place);
  }

  private loadAt(place: AnnotationsPlace | undefined): Promise<AnnotationsStore> {
    if (place === undefined) return Promise.reject(new NoWorkspaceFolderError());
    const key = placeKey(place);
    if (this.loading?.key === key) return this.loading.store; // else the workspace folder, setting or dataset changed
    const loading = { key, store: loadPlace(place) };
    this.loading = loading;
    loading.store.catch(() => {
      if (this.loading === loading) this.loading = undefined;
    });
    return loading.store;
  }

  /** The store when it can be had; else why not (for the panel, which lists rows without tags then). */
  async lookup(): Promise<{ store?: AnnotationsStore; problem?: string }> {
    try {
      return { store: await this.load() };
    } catch (err) {
      return { problem: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Sets tags and/or the note of (video, expId) and saves; edits are saved in the order they were made. */
  set(video: string, expId: string, change: AnnotationChange): Promise<Annotation> {
    const edit = this.queue.then(async () => {
      const place = this.place;
      const store = await this.loadAt(place);
      if (change.tags !== undefined) store.setTags(video, expId, change.tags);
      if (change.note !== undefined) store.setNote(video, expId, change.note);
      try {
        await store.save();
      } catch (err) {
        this.loading = undefined; // the file did not take the edit: read it again rather than show what is not saved
        throw err;
      }
      if (place?.insideDataset !== undefined && !this.told.has(placeKey(place))) {
        this.told.add(placeKey(place));
        this.location.notify(redirectNotice(place));
      }
      return store.get(video, expId);
    });
    this.queue = edit.catch(() => undefined);
    void edit.then(
      () => this.fire(),
      () => this.fire(),
    );
    return edit;
  }

  /** Forgets the loaded store (the file changed on disk) and tells the listeners. */
  reload(): void {
    this.loading = undefined;
    this.fire();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(): void {
    for (const l of [...this.listeners]) l();
  }
}

function placeKey(place: AnnotationsPlace): string {
  return `${place.file}\0${place.saveTo}`;
}

/**
 * The store for `place`, saving to `place.saveTo`. When redirected, the storage copy is the current one once it
 * exists; before the first edit the user's file inside the dataset is read (and only read).
 */
async function loadPlace(place: AnnotationsPlace): Promise<AnnotationsStore> {
  if (place.saveTo === place.file || (await exists(place.saveTo))) return AnnotationsStore.load(place.saveTo);
  const theirs = await AnnotationsStore.load(place.file);
  return AnnotationsStore.parse(theirs.serialize(), place.saveTo);
}

/** False only when nothing is there (other errors surface when the file is read). */
async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
