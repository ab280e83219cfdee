// The one result shape every cleansing function returns, so the composer can record each repair
// (item, raw value, clean value) for the audit and turn each failure into a row reason.

export type Cleaned<T> =
  | { ok: true; value: T; repaired: boolean }
  | { ok: false; failure: string };

export type Failed = Extract<Cleaned<never>, { ok: false }>;

export function ok<T>(value: T, repaired: boolean): Cleaned<T> {
  return { ok: true, value, repaired };
}

export function fail(failure: string): Failed {
  return { ok: false, failure };
}

const QUOTE_MAX = 40;

/** A value as it appears inside a failure clause: quoted, and cut short so a pasted paragraph stays readable. */
export function quote(text: string): string {
  return `"${text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text}"`;
}
