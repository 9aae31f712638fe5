import type { Release } from './types.js';

/**
 * The local target's release history: the releases that were stable, oldest first, the last
 * being the current one. Pure, so each rule is a table test: an entry is never lost to a
 * crash (it is written in the same state write that switches stable), never repeated, and
 * the previous release never is the current one.
 */

export function sameRelease(a: Release, b: Release): boolean {
  return a.version === b.version && a.image === b.image;
}

/** The release before the current stable one, skipping repeats of the current. */
export function previousRelease(history: readonly Release[]): Release | undefined {
  const current = history.at(-1);
  if (!current) return undefined;
  for (let i = history.length - 2; i >= 0; i--)
    if (!sameRelease(history[i] as Release, current)) return history[i];
  return undefined;
}

/** `release` became stable: appended, unless it already is the last entry. */
export function afterPromotion(history: readonly Release[], release: Release): Release[] {
  const last = history.at(-1);
  return last && sameRelease(last, release) ? [...history] : [...history, release];
}

/**
 * Stable went back to `release`: the history returns to its last entry for it (what came
 * after it was bad), or gains it when it was never recorded (`--to` an older image).
 */
export function afterRollback(history: readonly Release[], release: Release): Release[] {
  for (let i = history.length - 1; i >= 0; i--)
    if (sameRelease(history[i] as Release, release)) return history.slice(0, i + 1);
  return [...history, release];
}
