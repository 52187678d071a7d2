// The workspace's tags and notes (AnnotationsStore in `<workspace>/.rvos/annotations.json`) for the panel and the
// commands: loaded once and shared, edits saved one after the other (atomic writes), listeners told of every change.
// A malformed file is reported and never overwritten; without a workspace folder there is nowhere to keep them.

import { AnnotationsStore, type Annotation } from '../core/analysis/annotationsStore';

export const NO_WORKSPACE_FOLDER =
  'no workspace folder is open: tags and notes are kept in <folder>/.rvos/annotations.json of the first workspace folder (File > Open Folder…)';

export class NoWorkspaceFolderError extends Error {
  constructor() {
    super(NO_WORKSPACE_FOLDER);
    this.name = 'NoWorkspaceFolderError';
  }
}

export interface AnnotationChange {
  tags?: readonly string[];
  note?: string;
}

export class WorkspaceAnnotations {
  private loading: Promise<AnnotationsStore> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  /** `workspaceDir` is asked on every use, so opening a folder later works without a reload. */
  constructor(private readonly workspaceDir: () => string | undefined) {}

  /** The annotations file, or undefined without a workspace folder. */
  get file(): string | undefined {
    const dir = this.workspaceDir();
    return dir === undefined ? undefined : AnnotationsStore.fileIn(dir);
  }

  /** The store; rejects with NoWorkspaceFolderError, or the InputError of a malformed file (asked again next time). */
  load(): Promise<AnnotationsStore> {
    const file = this.file;
    if (file === undefined) return Promise.reject(new NoWorkspaceFolderError());
    const current = this.loading;
    if (current) {
      return current.then((store) => {
        if (store.file === file) return store;
        this.loading = undefined; // the workspace folder changed
        return this.load();
      });
    }
    const loading = AnnotationsStore.load(file);
    this.loading = loading;
    loading.catch(() => {
      if (this.loading === loading) this.loading = undefined;
    });
    return loading;
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
      const store = await this.load();
      if (change.tags !== undefined) store.setTags(video, expId, change.tags);
      if (change.note !== undefined) store.setNote(video, expId, change.note);
      try {
        await store.save();
      } catch (err) {
        this.loading = undefined; // the file did not take the edit: read it again rather than show what is not saved
        throw err;
      }
      return store.get(video, expId);
    });
    this.queue = edit.catch(() => undefined);
    void edit.then(() => this.fire(), () => this.fire());
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
