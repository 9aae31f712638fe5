import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { formatIssue } from './format-issues.js';
import { interpolateEnv } from './interpolate.js';
import { applyOverrides, type Override } from './overrides.js';
import { configSchema, type Config } from './schema.js';
import { allowedKeysAt } from './schema-walk.js';
import { configTemplateProblems } from './template-balance.js';

export const DEFAULT_CONFIG_PATH = '.github/model-delivery.yml';

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file read. */
  path: string;
  /** The repository root: the directory that holds `.github/`. Commands run here. */
  root: string;
  /** Values read from `${VAR}`: never print them. */
  secrets: string[];
}

export interface LoadConfigOptions {
  cwd: string;
  path?: string;
  overrides?: readonly Override[];
  env: Record<string, string | undefined>;
  /** `--root`: the repository root, when the config's place does not say it. */
  root?: string;
}

export function resolveConfigPath(cwd: string, path?: string): string {
  if (path) return resolve(cwd, path);
  const yml = resolve(cwd, DEFAULT_CONFIG_PATH);
  const yaml = yml.replace(/\.yml$/, '.yaml');
  return !existsSync(yml) && existsSync(yaml) ? yaml : yml;
}

/**
 * Where commands run: `--root` when given; the directory holding `.github/` for a config
 * there; otherwise the repository the command runs in (the nearest directory up from `cwd`
 * holding `.git`), else `cwd`. A config in a subfolder (`--config sub/x.yml`) never makes
 * the subfolder the root.
 */
export function repositoryRoot(configPath: string, cwd: string, root?: string): string {
  if (root) return resolve(cwd, root);
  const dir = dirname(configPath);
  if (basename(dir) === '.github') return dirname(dir);
  for (let at = resolve(cwd); ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return at;
    if (dirname(at) === at) return resolve(cwd);
  }
}

/**
 * Reads, overrides, interpolates and validates the config. Every problem is collected and
 * reported at once, each with its path (and line, when it comes from the file).
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const path = resolveConfigPath(options.cwd, options.path);
  if (!existsSync(path)) {
    throw new ConfigError(
      [
        `no config file at ${path}: create ${DEFAULT_CONFIG_PATH} (see the README's configuration reference) or pass --config <path>`,
      ],
      'config_not_found',
    );
  }
  const text = readFileSync(path, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${basename(path)}${pos ? `:${pos.line}:${pos.col}` : ''}: ${firstLine(e.message)}`;
      }),
      'config_syntax',
    );
  }
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError([`${basename(path)}: expected a mapping of sections (lint:, train:, …)`]);
  }
  const merged = applyOverrides(raw, options.overrides ?? []);
  const interpolated = interpolateEnv(merged, options.env);
  const problems = [...interpolated.problems];
  const parsed = configSchema.safeParse(interpolated.value, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const line = lineOf(doc, lineCounter, issue.path);
      const message = formatIssue(issue, (p) => allowedKeysAt(configSchema, p));
      problems.push(...message.split('\n').map((m) => (line ? `${m} (line ${line})` : m)));
    }
  }
  if (parsed.success) problems.push(...configTemplateProblems(parsed.data as Config));
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    config: parsed.data as Config,
    path,
    root: repositoryRoot(path, options.cwd, options.root),
    secrets: interpolated.secrets,
  };
}

function lineOf(
  doc: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  path: readonly PropertyKey[],
) {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as
      { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** yaml's pretty messages end their first line with the position, which we print in front. */
export function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
}
