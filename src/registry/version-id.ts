/**
 * Version ids: `v` and a sequence number, assigned in order of registration and never reused.
 * The registry writes them zero-padded to four digits (`v0001`, `v0002`, …) so they also sort
 * as plain strings up to v9999; any `v<digits>` directory is read as a version and ordered by
 * its number (`compareVersions`). They read well in URLs, logs and metric labels.
 */
const VERSION = /^v(\d+)$/;

export const isVersionId = (s: string): boolean => VERSION.test(s);

export const formatVersion = (n: number): string => `v${String(n).padStart(4, '0')}`;

/** Registration order (numeric, so v10000 comes after v9999 and v2 before v0010). */
export function compareVersions(a: string, b: string): number {
  return Number(VERSION.exec(a)?.[1] ?? -1) - Number(VERSION.exec(b)?.[1] ?? -1) || a.localeCompare(b);
}

/** The id after the highest of `existing` (v0001 for none). */
export function nextVersion(existing: readonly string[]): string {
  let max = 0;
  for (const v of existing) {
    const m = VERSION.exec(v);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return formatVersion(max + 1);
}
