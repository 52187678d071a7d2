// Expression probing in the viewer, the pure part (unit-tested without a DOM): the probe's state from the host's
// streamed probe* messages (messages of a replaced probe are dropped), and the table rows: the original text first,
// then the scored variants by their J&F drop versus the original (largest first: the words the model relies on most),
// then the variants still to come.

import type { ProbeScore, ProbeVariant } from '../../core/analysis/probe';
import type { ProbeNotification } from '../../shared/clipViewer/protocol';

export type ProbeStatus = 'starting' | 'running' | 'done' | 'cancelled' | 'error';

export interface ProbeState {
  probeId: number;
  expId: string;
  status: ProbeStatus;
  original?: string;
  variants: ProbeVariant[];
  /** Row 0 = the original text, row k = variants[k - 1]. */
  scores: Map<number, ProbeScore & { cached: boolean }>;
  message?: string;
}

export interface ProbeTableRow {
  text: string;
  /** What changed ("without "red"", "left and right swapped"); "original" for the expression itself. */
  change: string;
  JF?: number;
  /** Variant J&F − original J&F (negative: the variant does worse, so what it changed mattered). */
  delta?: number;
  original: boolean;
}

type StreamMessage = Exclude<ProbeNotification, { type: 'probeSelected' }>;

export class ProbeRun {
  private current: ProbeState | undefined;
  private nextId = 1;

  get state(): ProbeState | undefined {
    return this.current;
  }

  /** True while a probe is starting or streaming rows. */
  get busy(): boolean {
    return this.current?.status === 'starting' || this.current?.status === 'running';
  }

  /** Records a new probe of `expId` (replacing the last one) and returns its id for the host. */
  begin(expId: string): number {
    this.current = { probeId: this.nextId++, expId, status: 'starting', variants: [], scores: new Map() };
    return this.current.probeId;
  }

  /** Applies one host message; returns the state it changed, or undefined for a stale or out-of-order message. */
  apply(m: StreamMessage): ProbeState | undefined {
    const s = this.current;
    if (!s || s.probeId !== m.probeId || s.expId !== m.expId) return undefined;
    switch (m.type) {
      case 'probeStarted':
        if (s.status !== 'starting') return undefined;
        s.status = 'running';
        s.original = m.original;
        s.variants = m.variants;
        return s;
      case 'probeRow':
        if (s.status !== 'running' || m.row > s.variants.length) return undefined;
        s.scores.set(m.row, { ...m.score, cached: m.cached });
        return s;
      case 'probeDone':
        if (s.status !== 'running') return undefined;
        s.status = 'done';
        return s;
      case 'probeError':
        if (s.status === 'done') return undefined;
        s.status = m.cancelled ? 'cancelled' : 'error';
        s.message = m.message;
        return s;
    }
  }

  clear(): void {
    this.current = undefined;
  }
}

/** The table: original first, scored variants by drop (largest first; ties in variant order), then pending ones. */
export function probeTableRows(s: ProbeState): ProbeTableRow[] {
  const original = s.scores.get(0);
  const rows: ProbeTableRow[] = [];
  if (s.original !== undefined) rows.push({ text: s.original, change: 'original', JF: original?.JF, original: true });
  const variants = s.variants.map((v, k): ProbeTableRow => {
    const score = s.scores.get(k + 1);
    return {
      text: v.text,
      change: v.description,
      JF: score?.JF,
      delta: score && original ? score.JF - original.JF : undefined,
      original: false,
    };
  });
  const scored = variants.filter((r) => r.delta !== undefined).sort((a, b) => a.delta! - b.delta!);
  return [...rows, ...scored, ...variants.filter((r) => r.delta === undefined)];
}

/** One line for the probe's state: progress, done (how many from the cache), the error or "cancelled". */
export function probeStatusText(s: ProbeState): string {
  const total = s.variants.length + 1;
  const done = s.scores.size;
  switch (s.status) {
    case 'starting':
      return 'Probe: starting…';
    case 'running':
      return `Probe: ${done}/${total} texts scored…`;
    case 'done': {
      const cached = [...s.scores.values()].filter((x) => x.cached).length;
      const text = `Probe: ${s.variants.length} variants scored${cached ? ` (${cached} of ${total} texts from the cache)` : ''}; sorted by J&F drop`;
      // A total miss cannot get worse: every drop is ±0.0, which would otherwise read as "no word matters".
      return s.scores.get(0)?.JF === 0
        ? `${text}. The original is a total miss (J&F 0.0), so no variant can score lower: ±0.0 says nothing about its words`
        : text;
    }
    case 'cancelled':
      return `Probe: cancelled after ${done}/${total} texts`;
    case 'error':
      return `Probe: ${s.message ?? 'failed'}`;
  }
}
