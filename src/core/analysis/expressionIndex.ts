// A dataset-wide list of expressions for finding failures: sorted worst-first by J&F, J, F or ΔJ&F against a
// baseline run, filtered by score range, video, object category, expression category, words and a set of keys (e.g.
// a tag). Everything a filter pass needs is precomputed once per row (numeric ids of videos and categories, one
// Float64Array per measure; the lower-cased words at the first word filter) and each measure's order is sorted once
// and cached, so changing the filter is one tight loop over a cached order; a row object is made when a page shows
// it. All of that depends only on the run, so an index with another baseline (withBaseline) shares it and only joins
// the baseline's J&F and sorts ΔJ&F.

import type { ExpressionScore, SplitScore, Video } from '../types';
import { compareExpIds, expressionKey, scoresByKey } from './expressionKey';

export type Measure = 'JF' | 'J' | 'F' | 'deltaJF';
export const MEASURES: readonly Measure[] = ['JF', 'J', 'F', 'deltaJF'];

export interface WorstFrame {
  frame: string;
  J: number;
  F: number;
  JF: number;
}

export interface ExpressionRow {
  /** expressionKey(video, expId). */
  key: string;
  video: string;
  expId: string;
  text: string;
  /** Expression category (Ref-Shapes writes one), when known. */
  category?: string;
  /** Category of the referred object in <split>/meta.json, when the index was given the videos. */
  objectCategory?: string;
  J: number;
  F: number;
  JF: number;
  /** J&F of the same expression in the baseline run, when one was given and scored it. */
  baselineJF?: number;
  /** JF − baselineJF: negative is a regression. */
  deltaJF?: number;
  /** Frame with the lowest J&F (first of equals); undefined when no frame was scored. */
  worstFrame?: WorstFrame;
  frames: number;
  /** Scored frames without a prediction. */
  missing: number;
}

/** [min, max) of one measure, or [min, max] with maxInclusive; open ends when undefined. */
export interface ScoreRange {
  measure: Measure;
  min?: number;
  max?: number;
  maxInclusive?: boolean;
}

export interface ExpressionFilter {
  scoreRange?: ScoreRange;
  videos?: readonly string[];
  objectCategories?: readonly string[];
  categories?: readonly string[];
  /** Words that must each begin a word of the expression, case-insensitive ("red sq" matches "the red square"). */
  words?: string;
  /** Only these expressionKeys (e.g. AnnotationsStore.keysWithTag). */
  keys?: ReadonlySet<string>;
}

export interface ExpressionQuery {
  /** Default JF. Rows without a value of the measure (no baseline score) come last. */
  sortBy?: Measure;
  /** Default worst-first (lowest value first; ties by video, then expression id). */
  order?: 'worst-first' | 'best-first';
  filter?: ExpressionFilter;
  offset?: number;
  limit?: number;
}

export interface QueryResult {
  rows: ExpressionRow[];
  /** Rows matching the filter before offset/limit. */
  total: number;
}

export interface IndexOptions {
  /** The split's videos (Dataset.videoById) for object categories from meta.json. */
  videos?: ReadonlyMap<string, Video>;
  /** A run to compare with: fills baselineJF and deltaJF. */
  baseline?: SplitScore;
}

/** Lower-cased words of a text: letters and digits, everything else separates. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Interns strings as small integers so filters compare numbers. */
class Interner {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  id(name: string | undefined): number {
    if (name === undefined) return -1;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }
  /** A lookup table over the ids for a list of names; names never seen select nothing. */
  selection(names: readonly string[]): Uint8Array {
    const table = new Uint8Array(this.names.length);
    for (const n of names) {
      const id = this.ids.get(n);
      if (id !== undefined) table[id] = 1;
    }
    return table;
  }
}

/**
 * Everything about the rows that no baseline changes: built once per run, shared by the indexes withBaseline derives.
 * What opening the list needs (sort values, ids, keys) is built at once; a row object when a page shows it, the
 * word-search text at the first word filter.
 */
interface RunColumns {
  expressions: readonly ExpressionScore[];
  keys: string[];
  values: Record<Exclude<Measure, 'deltaJF'>, Float64Array>;
  videoIds: Int32Array;
  categoryIds: Int32Array;
  objectCategoryIds: Int32Array;
  videoNames: Interner;
  categoryNames: Interner;
  objectCategoryNames: Interner;
  /** Position of each row in (video, expId) order: the tie-break of every sort. */
  rank: Uint32Array;
  /** Sorted orders of J&F, J and F (ΔJ&F's depends on the baseline, so each index keeps its own). */
  orders: Map<Measure, Uint32Array>;
  /** Rows without baseline fields, made on first use. */
  rows: ExpressionRow[];
  allRows?: readonly ExpressionRow[];
  /** " word word …" per row (a query word w matches when " w" occurs), made at the first word filter. */
  searchText?: string[];
}

function runColumns(score: SplitScore, videos: ReadonlyMap<string, Video> | undefined): RunColumns {
  const expressions = score.expressions;
  const n = expressions.length;
  const c: RunColumns = {
    expressions,
    keys: new Array<string>(n),
    values: { JF: new Float64Array(n), J: new Float64Array(n), F: new Float64Array(n) },
    videoIds: new Int32Array(n),
    categoryIds: new Int32Array(n),
    objectCategoryIds: new Int32Array(n),
    videoNames: new Interner(),
    categoryNames: new Interner(),
    objectCategoryNames: new Interner(),
    rank: new Uint32Array(n),
    orders: new Map(),
    rows: [],
  };
  expressions.forEach((e, i) => {
    c.keys[i] = expressionKey(e.video, e.expId);
    c.values.JF[i] = e.JF;
    c.values.J[i] = e.J;
    c.values.F[i] = e.F;
    c.videoIds[i] = c.videoNames.id(e.video);
    c.categoryIds[i] = c.categoryNames.id(e.category);
    c.objectCategoryIds[i] = c.objectCategoryNames.id(objectCategoryOf(videos, e.video, e.expId));
  });
  const byName = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const ea = expressions[a];
    const eb = expressions[b];
    return ea.video < eb.video ? -1 : ea.video > eb.video ? 1 : compareExpIds(ea.expId, eb.expId) || a - b;
  });
  byName.forEach((row, pos) => (c.rank[row] = pos));
  return c;
}

/** Row `i` of the run, without baseline fields: its worst frame and missing count from one pass over its frames. */
function baseRow(c: RunColumns, i: number): ExpressionRow {
  let row = c.rows[i];
  if (row) return row;
  const e = c.expressions[i];
  row = {
    key: c.keys[i],
    video: e.video,
    expId: e.expId,
    text: e.expression,
    J: e.J,
    F: e.F,
    JF: e.JF,
    frames: e.frames.length,
    missing: 0,
  };
  if (e.category !== undefined) row.category = e.category;
  const objectCategory = c.objectCategoryNames.names[c.objectCategoryIds[i]];
  if (objectCategory !== undefined) row.objectCategory = objectCategory;
  let worst: WorstFrame | undefined;
  for (const f of e.frames) {
    if (f.missing) row.missing++;
    const jf = (f.J + f.F) / 2;
    if (!worst || jf < worst.JF) worst = { frame: f.frame, J: f.J, F: f.F, JF: jf };
  }
  if (worst) row.worstFrame = worst;
  return (c.rows[i] = row);
}

function searchText(c: RunColumns): string[] {
  return (c.searchText ??= c.expressions.map((e) => ' ' + words(e.expression).join(' ')));
}

export class ExpressionIndex {
  private readonly columns: RunColumns;
  private readonly values: Record<Measure, Float64Array>;
  /** The baseline's J&F per row (NaN where it has none) and whether it scored the row (its J&F may itself be NaN). */
  private readonly baselineJF: Float64Array | undefined;
  private readonly inBaseline: Uint8Array | undefined;
  /** Rows with their baseline fields, made on first use: a join copies only the rows a page shows. */
  private readonly joined: ExpressionRow[] = [];
  private allRows: readonly ExpressionRow[] | undefined;
  private deltaOrder: Uint32Array | undefined;

  /**
   * An index of `source`'s expressions. `source` may be another index: its run, shared with it (rows, text, ids and
   * the J&F/J/F sorts), so only the baseline join is new (`options.videos` is then the source's).
   */
  constructor(source: SplitScore | ExpressionIndex, options: IndexOptions = {}) {
    this.columns = source instanceof ExpressionIndex ? source.columns : runColumns(source, options.videos);
    const { keys, values } = this.columns;
    const deltaJF = new Float64Array(keys.length).fill(NaN);
    if (options.baseline) {
      // The join: one Map lookup per row, into typed columns.
      const baseline = scoresByKey(options.baseline.expressions);
      this.baselineJF = new Float64Array(keys.length).fill(NaN);
      this.inBaseline = new Uint8Array(keys.length);
      keys.forEach((key, i) => {
        const base = baseline.get(key);
        if (!base) return;
        this.inBaseline![i] = 1;
        this.baselineJF![i] = base.JF;
        deltaJF[i] = values.JF[i] - base.JF;
      });
    }
    this.values = { ...values, deltaJF };
  }

  /** This index's run with ΔJ&F against `baseline` (none: without), sharing everything the baseline does not change. */
  withBaseline(baseline: SplitScore | undefined): ExpressionIndex {
    return new ExpressionIndex(this, { baseline });
  }

  /** Every row, in the order of the run's expressions. */
  get rows(): readonly ExpressionRow[] {
    const c = this.columns;
    if (!this.inBaseline) return (c.allRows ??= c.keys.map((_, i) => baseRow(c, i)));
    return (this.allRows ??= c.keys.map((_, i) => this.row(i)));
  }

  /** Row `i`, with baselineJF and deltaJF when the baseline scored it. */
  row(i: number): ExpressionRow {
    const row = baseRow(this.columns, i);
    if (!this.inBaseline?.[i]) return row;
    return (this.joined[i] ??= { ...row, baselineJF: this.baselineJF![i], deltaJF: this.values.deltaJF[i] });
  }

  get hasBaseline(): boolean {
    return this.inBaseline?.includes(1) ?? false;
  }

  /** Distinct videos, expression categories and object categories, in order of first appearance. */
  get videos(): readonly string[] {
    return this.columns.videoNames.names;
  }
  get categories(): readonly string[] {
    return this.columns.categoryNames.names;
  }
  get objectCategories(): readonly string[] {
    return this.columns.objectCategoryNames.names;
  }

  /** Row numbers sorted worst-first by `measure` (NaN last, ties by video and expression id); sorted once, cached. */
  order(measure: Measure): Uint32Array {
    const cached = measure === 'deltaJF' ? this.deltaOrder : this.columns.orders.get(measure);
    if (cached) return cached;
    const v = this.values[measure];
    const rank = this.columns.rank;
    const order = Uint32Array.from(rank.keys()).sort((a, b) => {
      const va = v[a];
      const vb = v[b];
      if (va !== vb) {
        if (Number.isNaN(va)) return Number.isNaN(vb) ? rank[a] - rank[b] : 1;
        if (Number.isNaN(vb)) return -1;
        return va - vb;
      }
      return rank[a] - rank[b];
    });
    if (measure === 'deltaJF') this.deltaOrder = order;
    else this.columns.orders.set(measure, order);
    return order;
  }

  /** The value of `measure` for row `i` (NaN for deltaJF without a baseline score). */
  value(measure: Measure, i: number): number {
    return this.values[measure][i];
  }

  /** A predicate over row numbers for `filter`; the lookups are built once per call, the test is a few comparisons. */
  matcher(filter: ExpressionFilter = {}): (i: number) => boolean {
    const range = filter.scoreRange;
    const rangeValues = range ? this.values[range.measure] : undefined;
    const min = range?.min ?? -Infinity;
    const max = range?.max ?? Infinity;
    const maxInclusive = range?.maxInclusive ?? false;
    const {
      videoIds,
      categoryIds,
      objectCategoryIds,
      keys: rowKeys,
      videoNames,
      categoryNames,
      objectCategoryNames,
    } = this.columns;
    const videos = filter.videos ? videoNames.selection(filter.videos) : undefined;
    const categories = filter.categories ? categoryNames.selection(filter.categories) : undefined;
    const objectCategories = filter.objectCategories
      ? objectCategoryNames.selection(filter.objectCategories)
      : undefined;
    const wanted = filter.words === undefined ? [] : words(filter.words).map((w) => ' ' + w);
    const text = wanted.length > 0 ? searchText(this.columns) : [];
    const keys = filter.keys;
    return (i) => {
      if (rangeValues) {
        const v = rangeValues[i];
        if (!(v >= min) || (maxInclusive ? !(v <= max) : !(v < max))) return false; // NaN fails both
      }
      if (videos && videos[videoIds[i]] !== 1) return false;
      if (categories && (categoryIds[i] < 0 || categories[categoryIds[i]] !== 1)) return false;
      if (objectCategories && (objectCategoryIds[i] < 0 || objectCategories[objectCategoryIds[i]] !== 1)) return false;
      for (let w = 0; w < wanted.length; w++) if (!text[i].includes(wanted[w])) return false;
      if (keys && !keys.has(rowKeys[i])) return false;
      return true;
    };
  }

  /** Rows matching the filter, sorted; `total` counts all matches so a list can page. */
  query(q: ExpressionQuery = {}): QueryResult {
    const order = this.order(q.sortBy ?? 'JF');
    const match = this.matcher(q.filter);
    const offset = q.offset ?? 0;
    const end = offset + (q.limit ?? Infinity);
    const rows: ExpressionRow[] = [];
    let total = 0;
    const n = order.length;
    const bestFirst = q.order === 'best-first';
    for (let k = 0; k < n; k++) {
      const i = order[bestFirst ? n - 1 - k : k];
      if (!match(i)) continue;
      if (total >= offset && total < end) rows.push(this.row(i));
      total++;
    }
    return { rows, total };
  }

  /** Values of `measure` over the rows matching `filter` (rows without a value left out), in row order. */
  valuesOf(measure: Measure, filter?: ExpressionFilter): Float64Array {
    const match = this.matcher(filter);
    const v = this.values[measure];
    const out = new Float64Array(v.length);
    let n = 0;
    for (let i = 0; i < v.length; i++) if (!Number.isNaN(v[i]) && match(i)) out[n++] = v[i];
    return out.subarray(0, n);
  }
}

function objectCategoryOf(
  videos: ReadonlyMap<string, Video> | undefined,
  videoId: string,
  expId: string,
): string | undefined {
  const video = videos?.get(videoId);
  const objId = video?.expressions.find((e) => e.expId === expId)?.objId;
  return objId === undefined ? undefined : video?.objects[objId]?.category;
}
