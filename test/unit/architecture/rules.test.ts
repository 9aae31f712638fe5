// The house rules of DESIGN.md and STYLE.md as a test: each rule is named once here, and
// docs/architecture.md links to this file. An allowlist entry names the issue whose merge
// removes the violation; delete the entry when that issue lands.
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';
import {
  buildImportGraph,
  importCycles,
  reachable,
  type ImportGraph,
} from '../../helpers/import-graph.js';

/** Packages and Node modules that touch the world: files, processes, network, GitHub, Slack. */
const IO_PACKAGES = [
  /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|tls|dns|os|worker_threads|cluster|readline)$/,
  /^execa$/,
  /^@actions\//,
  /^@octokit\//,
  /^octokit$/,
  /^probot$/,
  /^@probot\//,
  /^@slack\//,
  /^pino/,
  /^prom-client$/,
  /^undici$/,
];
/** I/O through globals, which no import statement shows. */
const IO_GLOBALS = /\bfetch\s*\(|\bprocess\.(env|exit|stdout|stderr|stdin|cwd|argv)\b/;

/** The only modules that read the environment or the action's inputs (STYLE.md §2). */
const INPUT_MODULES = [/^src\/settings\//, /^src\/bot\/settings\.ts$/];
/** Entry points: they may hand `process.env` over whole, never read a name from it. */
const ENTRY_POINTS = ['src/cli/main.ts', 'src/bot/main.ts', 'src/targets/local-proxy-main.ts'];

/**
 * Renderers turn report data into text (markdown, HTML, SVG, Block Kit) and reach nothing
 * but report data: no store, no stage, no settings, no I/O, so every rendering can be
 * tested as a function of data. Writers (report/store.ts, report/write-reports.ts) are not
 * renderers.
 */
const RENDERERS = [
  'src/report/html-report.ts',
  'src/report/markdown.ts',
  'src/report/mermaid-chart.ts',
  'src/report/pr-comment.ts',
  'src/report/slack-message.ts',
  'src/report/summary.ts',
  'src/report/svg-chart.ts',
  'src/report/train-table.ts',
];
/** Report data: the shapes renderers read, and pure leaves they format with. */
const REPORT_DATA = [
  'src/report/stage-report.ts',
  'src/report/stage-details.ts',
  'src/report/chart-data.ts',
  'src/report/delivery.ts',
  'src/report/gate-data.ts',
  'src/report/slack-limits.ts',
  'src/report/train-data.ts',
  'src/core/pipeline.ts',
  'src/core/duration.ts',
  'src/core/run-context.ts',
  'src/core/exit-codes.ts',
  'src/core/release.ts',
  'src/analysis/types.ts',
];
/** Packages report data may use: zod validates persisted reports as they are read back. */
const REPORT_DATA_PACKAGES = ['zod'];

const MAX_LINES = 350;

/** Known violations, each removed by the named issue; the lead deletes an entry at merge. */
const ALLOW = {
  lines: new Map<string, string>(),
  env: new Map<string, string>(),
  /**
   * Not a violation to remove but the feature itself: `${NAME}` in the config file asks
   * for that variable, from the env map the CLI passes to loadConfig.
   */
  envByDesign: new Map([['src/config/interpolate.ts', 'config `${NAME}` interpolation']]),
};

/**
 * Where modules matching `from` reach a forbidden module: one line per edge that crosses
 * into forbidden ground, with the shortest path that leads there.
 */
function forbiddenReach(
  graph: ImportGraph,
  from: (file: string) => boolean,
  forbidden: (file: string) => boolean,
): string[] {
  const found = new Map<string, string[]>();
  for (const file of [...graph.keys()].filter(from).sort()) {
    for (const path of reachable(graph, file).values()) {
      const cut = path.findIndex(forbidden);
      if (cut < 0) continue;
      const edge = `${path[cut - 1]} → ${path[cut]}`;
      const seen = found.get(edge);
      if (!seen || seen.length > cut + 1) found.set(edge, path.slice(0, cut + 1));
    }
  }
  return [...found].map(([edge, path]) => `${edge} (${path.join(' → ')})`).sort();
}

/** Modules (from `from`, and all they reach) that import an I/O package or use I/O globals. */
function ioReach(graph: ImportGraph, from: (file: string) => boolean): string[] {
  const found: string[] = [];
  for (const file of [...graph.keys()].filter(from).sort()) {
    const modules: [string, string[]][] = [[file, [file]], ...reachable(graph, file)];
    for (const [module, path] of modules) {
      const node = graph.get(module);
      if (!node) continue;
      for (const spec of node.external) {
        if (IO_PACKAGES.some((p) => p.test(spec)))
          found.push(`${path.join(' → ')} imports ${spec}`);
      }
      if (IO_GLOBALS.test(stripComments(node.text)))
        found.push(`${path.join(' → ')} uses ${IO_GLOBALS.exec(stripComments(node.text))?.[0]}`);
    }
  }
  return [...new Set(found)];
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** Where a module reads the environment or an input, as `file:line: code`. */
export function envReads(file: string, text: string): string[] {
  const entry = ENTRY_POINTS.includes(file);
  const byDesign = ALLOW.envByDesign.has(file);
  const found: string[] = [];
  stripComments(text)
    .split('\n')
    .forEach((line, i) => {
      const reads = [
        // process.env at all; an entry point may pass it whole (`env: process.env`).
        entry ? /\bprocess\.env\s*(\?\.|\.|\[)/ : /\bprocess\.env\b/,
        // The action's inputs by their env name.
        /INPUT_/,
        // A variable by name from an env map handed down: env.NAME, env?.NAME, env['NAME'].
        /\benv\??\.[A-Z_][A-Z0-9_]*\b/,
        /\benv(\?\.)?\[\s*['"`]/,
        // …or by a computed name (a write `env[k] = v` builds a child's env, not a read).
        ...(byDesign ? [] : [/\benv(\?\.)?\[(?![^\]]*\]\s*=[^=])/]),
      ];
      if (reads.some((r) => r.test(line))) found.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  return found;
}

const graph = buildImportGraph(REPO_ROOT);
const under = (prefix: string) => (file: string) => file.startsWith(prefix);

describe('architecture rules (docs/architecture.md)', () => {
  it('finds the modules of src/', () => {
    // Guards the rules below against an empty graph passing everything.
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/cli/main.ts')?.internal).toContain('src/cli/execute.ts');
  });

  it('analysis is pure: it reaches no I/O module', () => {
    expect(ioReach(graph, under('src/analysis/'))).toEqual([]);
  });

  it('config reaches no stage, report or settings module', () => {
    expect(
      forbiddenReach(graph, under('src/config/'), (f) =>
        /^src\/(stages|report|settings)\//.test(f),
      ),
    ).toEqual([]);
  });

  it('the bot reaches no target or stage', () => {
    expect(
      forbiddenReach(graph, under('src/bot/'), (f) => /^src\/(targets|stages)\//.test(f)),
    ).toEqual([]);
  });

  it('stages reach no bot module', () => {
    expect(forbiddenReach(graph, under('src/stages/'), under('src/bot/'))).toEqual([]);
  });

  it('renderers reach nothing but renderers and report data, and do no I/O', () => {
    const allowed = new Set([...RENDERERS, ...REPORT_DATA]);
    for (const file of [...RENDERERS, ...REPORT_DATA])
      expect(graph.has(file), `${file} is named in the rules but does not exist`).toBe(true);
    const isRendering = (f: string) => allowed.has(f);
    expect(forbiddenReach(graph, isRendering, (f) => !allowed.has(f))).toEqual([]);
    const packages = [...allowed].flatMap((f) =>
      (graph.get(f)?.external ?? [])
        .filter((p) => !REPORT_DATA_PACKAGES.includes(p))
        .map((p) => `${f} imports ${p}`),
    );
    expect(packages).toEqual([]);
    expect(ioReach(graph, isRendering)).toEqual([]);
  });

  it('only the input modules read process.env or INPUT_*', () => {
    const reads = [...graph.values()]
      .filter(({ file }) => !INPUT_MODULES.some((m) => m.test(file)))
      .filter(({ file }) => !ALLOW.env.has(file))
      .flatMap(({ file, text }) => envReads(file, text));
    expect(reads).toEqual([]);
  });

  it('the CLI starts light: --version and plan load no stage, config loader or PromQL parser', () => {
    // What loading cli/main.ts and execute.ts loads before any `import()` (bench/startup
    // measures the time; this keeps the reason for it from drifting back).
    const heavy = (f: string) =>
      /^src\/(stages\/(?!index\.ts|types\.ts)|config\/load\.ts|analysis\/promql-syntax\.ts|targets\/|github\/)/.test(
        f,
      );
    const start = ['src/cli/main.ts', 'src/cli/execute.ts'];
    const loaded = start.flatMap((f) => [...reachable(graph, f, true).keys()]);
    expect(loaded.filter(heavy)).toEqual([]);
    expect(graph.get('src/stages/index.ts')?.dynamic).toContain('src/stages/lint.ts');
  });

  it('git runs only through core/git.ts (one exec chokepoint, one timeout policy)', () => {
    const direct = [...graph.values()]
      .filter(({ file }) => file !== 'src/core/git.ts')
      .filter(({ text }) =>
        /\b(execa|execaSync|spawn|execFile|execFileSync|spawnSync)\(\s*['"]git['"]|argv:\s*\[\s*['"]git['"]/.test(
          stripComments(text),
        ),
      )
      .map(({ file }) => file);
    expect(direct).toEqual([]);
  });

  it('programs start only through core/exec.ts (one place for argv, not-found, timeouts)', () => {
    const starters = [...graph.values()]
      .filter(({ file }) => file !== 'src/core/exec.ts')
      .filter(({ external }) =>
        external.some((p) => p === 'execa' || p === 'child_process' || p === 'node:child_process'),
      )
      .map(({ file }) => file);
    expect(starters).toEqual([]);
  });

  it('no import cycle, type-only imports included', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it(`no file in src/ above ${MAX_LINES} lines`, () => {
    const long = [...graph.values()]
      .filter(({ file }) => !ALLOW.lines.has(file))
      .map(({ file, text }) => ({
        file,
        lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0),
      }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('every allowlist entry still names a live violation (delete it when its issue lands)', () => {
    for (const file of ALLOW.lines.keys()) {
      const text = graph.get(file)?.text ?? '';
      expect(text.split('\n').length, `${file}: ${ALLOW.lines.get(file)}`).toBeGreaterThan(
        MAX_LINES,
      );
    }
    for (const [file, why] of [...ALLOW.env, ...ALLOW.envByDesign]) {
      const node = graph.get(file);
      const stillReads = node
        ? envReads(file, node.text).length > 0 || /\benv(\?\.)?\[/.test(stripComments(node.text))
        : false;
      expect(stillReads, `${file}: ${why}`).toBe(true);
    }
  });
});

describe('the rule checkers themselves', () => {
  it.each([
    ['const a = process.env.HOME;', 'src/x.ts', 1],
    ['run({ env: process.env });', 'src/cli/main.ts', 0],
    ['const a = process.env.HOME;', 'src/cli/main.ts', 1],
    ["const k = env['INPUT_KUBECONFIG'];", 'src/x.ts', 1],
    ['const t = ctx.env.GITHUB_TOKEN;', 'src/x.ts', 1],
    ['const t = ctx.env?.TOKEN;', 'src/x.ts', 1],
    ['const v = ctx.env[name];', 'src/x.ts', 1],
    ['if (keep(k)) env[k] = v;', 'src/x.ts', 0],
    ['// process.env.X is read by settings', 'src/x.ts', 0],
    ['const envName = settings.tokenEnv;', 'src/x.ts', 0],
  ])('envReads(%j in %s) finds %i', (code, file, count) => {
    expect(envReads(file, code)).toHaveLength(count);
  });
});
