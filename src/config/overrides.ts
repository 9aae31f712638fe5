import { parse as parseYaml } from 'yaml';
import { UsageError } from '../core/errors.js';

export interface Override {
  path: string[];
  value: unknown;
  /** The text as given, for messages. */
  source: string;
}

/** Parses `path=value`; the value is read as YAML, so `0.9`, `false` and `[a, b]` keep their types. */
export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set expects path=value, got "${text}"`);
  const rawPath = text.slice(0, eq).trim();
  const path = rawPath.split('.');
  if (path.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    throw new UsageError(
      `--set: "${rawPath}" is not a config path such as train.thresholds.accuracy.min`,
    );
  }
  const rawValue = text.slice(eq + 1);
  let value: unknown;
  try {
    value = rawValue === '' ? '' : parseYaml(rawValue);
  } catch {
    value = rawValue;
  }
  return { path, value: value ?? rawValue, source: text };
}

/** Applies overrides to the raw (unvalidated) config object, creating sections as needed. */
export function applyOverrides(
  raw: unknown,
  overrides: readonly Override[],
): Record<string, unknown> {
  const root: Record<string, unknown> =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? structuredClone(raw as Record<string, unknown>)
      : {};
  for (const { path, value, source } of overrides) {
    let node: Record<string, unknown> | unknown[] = root;
    for (const [i, key] of path.entries()) {
      const last = i === path.length - 1;
      const index = Array.isArray(node) ? Number(key) : undefined;
      if (Array.isArray(node) && !Number.isInteger(index)) {
        throw new UsageError(
          `--set ${source}: ${path.slice(0, i).join('.')} is a list; use a number index`,
        );
      }
      const container = node as Record<string, unknown>;
      const k = index ?? key;
      if (last) {
        container[k as string] = value;
        break;
      }
      const next = container[k as string];
      if (next === undefined || next === null) container[k as string] = {};
      else if (typeof next !== 'object') {
        throw new UsageError(
          `--set ${source}: ${path.slice(0, i + 1).join('.')} is a value, not a section`,
        );
      }
      node = container[k as string] as Record<string, unknown>;
    }
  }
  return root;
}
