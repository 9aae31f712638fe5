import { formatPath, type PathKey } from './path.js';

const PATTERN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface InterpolationResult {
  value: unknown;
  /** Values that came from the environment: never to be printed. */
  secrets: string[];
  problems: string[];
}

/**
 * Replaces `${VAR}` in every string with the environment's value. `${VAR:-default}` gives a
 * default when VAR is unset or empty, and `$$` is a literal `$`. A missing variable with no
 * default is a problem reported with its path.
 */
export function interpolateEnv(
  value: unknown,
  env: Record<string, string | undefined>,
): InterpolationResult {
  const secrets: string[] = [];
  const problems: string[] = [];
  const walk = (node: unknown, path: PathKey[]): unknown => {
    if (typeof node === 'string') {
      return node.replace(
        PATTERN,
        (match, name: string | undefined, fallback: string | undefined) => {
          if (match === '$$') return '$';
          const found = env[name as string];
          if (found !== undefined && found !== '') {
            secrets.push(found);
            return found;
          }
          if (fallback !== undefined) return fallback;
          problems.push(
            `${formatPath(path)}: environment variable ${name} is not set (set it, or write \${${name}:-} to allow it to be empty)`,
          );
          return '';
        },
      );
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return node;
  };
  return { value: walk(value, []), secrets, problems };
}
