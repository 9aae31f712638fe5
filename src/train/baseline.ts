import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runGit } from '../core/git.js';
import { EnvironmentError, errorMessage } from '../core/errors.js';
import { MetricsFileError, parseMetricsJson, type Metrics } from './metrics-file.js';

export interface BaselineSource {
  file: string;
  /** A git ref: the file is read as committed there (`git show <ref>:./<file>`). */
  ref?: string;
}

export type BaselineResult = { metrics: Metrics; from: string } | { error: string };

/** Reads the baseline metrics; a missing baseline is reported, not thrown (the caller decides). */
export async function readBaseline(root: string, source: BaselineSource): Promise<BaselineResult> {
  const from = source.ref ? `${source.ref}:${source.file}` : source.file;
  let text: string;
  if (source.ref) {
    const fetchHint = 'fetch the base branch (actions/checkout with fetch-depth: 0)';
    let result;
    try {
      result = await runGit(root, ['show', `${source.ref}:./${source.file}`]);
    } catch (e) {
      // No git, or git hanging: the baseline is missing, which the caller reports.
      if (e instanceof EnvironmentError)
        return { error: `cannot read ${from}: ${errorMessage(e)}` };
      throw e;
    }
    if (result.exitCode !== 0) {
      return { error: `cannot read ${from} with git (${result.tail[0] ?? ''}); ${fetchHint}` };
    }
    text = result.stdout;
  } else {
    const path = resolve(root, source.file);
    if (!existsSync(path)) return { error: `${source.file} does not exist` };
    text = readFileSync(path, 'utf8');
  }
  try {
    return { metrics: parseMetricsJson(text), from };
  } catch (e) {
    if (e instanceof MetricsFileError) return { error: `${from}: ${e.message}` };
    throw e;
  }
}

/** In Actions on a pull request, the base branch's committed file; otherwise the configured ref or the working tree. */
export function defaultBaselineRef(
  configured: string | undefined,
  baseRef: string | undefined,
): string | undefined {
  return configured ?? (baseRef ? `origin/${baseRef}` : undefined);
}
