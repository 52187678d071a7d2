// Expressions the user typed in the clip viewer, kept in the workspace state per dataset split and video. They get
// ids "user-1", "user-2", … (never a Ref-YouTube-VOS id, which are decimal numbers) and have no ground truth unless the
// user links one to an object of the clip. Takes a Memento-like store (no vscode import) so it is unit-tested in Node.

import * as path from 'node:path';
import type { Expression } from '../../core/types';

export interface UserExpression {
  expId: string;
  text: string;
  /** The linked object (scored against its ground truth), if any. */
  objId?: string;
}

/** The part of vscode.Memento used here. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface ClipRef {
  datasetRoot: string;
  split: string;
  videoId: string;
}

const STATE_KEY = 'rvos.userExpressions';
const ID_PREFIX = 'user-';

export function isUserExpId(expId: string): boolean {
  return expId.startsWith(ID_PREFIX);
}

/** Collapses whitespace; the text box allows anything, the model reads words. */
export function normalizeExpressionText(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

function clipKey(clip: ClipRef): string {
  return JSON.stringify([path.resolve(clip.datasetRoot), clip.split, clip.videoId]);
}

function isUserExpression(v: unknown): v is UserExpression {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.expId === 'string' &&
    isUserExpId(e.expId) &&
    typeof e.text === 'string' &&
    (e.objId === undefined || typeof e.objId === 'string')
  );
}

export class UserExpressions {
  constructor(private readonly store: StateStore) {}

  /** Everything stored; entries of a wrong shape (an older or damaged state) are left out. */
  private all(): Record<string, UserExpression[]> {
    const raw = this.store.get<unknown>(STATE_KEY);
    const out: Record<string, UserExpression[]> = {};
    if (typeof raw !== 'object' || raw === null) return out;
    for (const [key, list] of Object.entries(raw)) {
      if (Array.isArray(list)) out[key] = list.filter(isUserExpression);
    }
    return out;
  }

  private async save(clip: ClipRef, list: UserExpression[]): Promise<void> {
    const all = this.all();
    if (list.length > 0) all[clipKey(clip)] = list;
    else delete all[clipKey(clip)];
    await this.store.update(STATE_KEY, all);
  }

  list(clip: ClipRef): UserExpression[] {
    return this.all()[clipKey(clip)] ?? [];
  }

  /**
   * The user expression with this text (after whitespace normalisation), added when new. An empty text is a
   * RangeError with the reason.
   */
  async add(clip: ClipRef, text: string): Promise<UserExpression> {
    const normalized = normalizeExpressionText(text);
    if (normalized === '') throw new RangeError('type an expression first');
    const list = this.list(clip);
    const existing = list.find((e) => e.text === normalized);
    if (existing) return existing;
    const next = 1 + list.reduce((max, e) => Math.max(max, Number(e.expId.slice(ID_PREFIX.length)) || 0), 0);
    const added: UserExpression = { expId: `${ID_PREFIX}${next}`, text: normalized };
    await this.save(clip, [...list, added]);
    return added;
  }

  /** Returns false when there was no such user expression. */
  async remove(clip: ClipRef, expId: string): Promise<boolean> {
    const list = this.list(clip);
    const kept = list.filter((e) => e.expId !== expId);
    if (kept.length === list.length) return false;
    await this.save(clip, kept);
    return true;
  }

  /** Links (objId) or unlinks (undefined) a user expression; false when there is no such expression. */
  async link(clip: ClipRef, expId: string, objId: string | undefined): Promise<boolean> {
    const list = this.list(clip);
    const target = list.find((e) => e.expId === expId);
    if (!target) return false;
    await this.save(
      clip,
      list.map((e) => (e === target ? (objId === undefined ? { expId: e.expId, text: e.text } : { ...e, objId }) : e)),
    );
    return true;
  }
}

/** A user expression as a dataset Expression (what the frame loader and the scorer take). */
export function asExpression(e: UserExpression): Expression {
  return e.objId === undefined ? { expId: e.expId, text: e.text } : { expId: e.expId, text: e.text, objId: e.objId };
}
