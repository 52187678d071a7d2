// Run-time guards for messages between the host and a webview: what arrives from the other side is untrusted input,
// so every protocol validates its messages with these (one set for all webviews).

export type Rec = Record<string, unknown>;

/** A plain object (not null, not an array). */
export function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-negative safe integer: request ids, run ids, frame indexes, offsets. */
export function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function isOptString(v: unknown): v is string | undefined {
  return v === undefined || typeof v === 'string';
}

/** Undefined or a finite number. */
export function isOptNumber(v: unknown): v is number | undefined {
  return v === undefined || (typeof v === 'number' && Number.isFinite(v));
}

export function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}
