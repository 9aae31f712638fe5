import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from '../../helpers/cli.js';

export const MONITORING = join(REPO_ROOT, 'monitoring');
export const RULES_DIR = join(MONITORING, 'rules');
export const DASHBOARDS_DIR = join(MONITORING, 'grafana', 'dashboards');

/** A PromQL query found in a monitoring file, with where it came from (for messages). */
export interface FoundQuery {
  where: string;
  query: string;
}

interface RuleFile {
  groups: { name: string; rules: { record?: string; alert?: string; expr: string }[] }[];
}

export function ruleFiles(): string[] {
  return readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => join(RULES_DIR, f));
}

function readRules(): { file: string; rules: RuleFile['groups'][number]['rules'] }[] {
  return ruleFiles().map((file) => ({
    file,
    rules: (parse(readFileSync(file, 'utf8')) as RuleFile).groups.flatMap((g) => g.rules),
  }));
}

export function ruleQueries(): FoundQuery[] {
  return readRules().flatMap(({ file, rules }) =>
    rules.map((r) => ({
      where: `${file.slice(REPO_ROOT.length)} ${r.record ?? r.alert}`,
      query: r.expr,
    })),
  );
}

/** Names the recording rules create: monitoring may use them as if they were exported. */
export function recordedNames(): Set<string> {
  return new Set(
    readRules().flatMap(({ rules }) => rules.flatMap((r) => (r.record ? [r.record] : []))),
  );
}

export function alertNames(): string[] {
  return readRules().flatMap(({ rules }) => rules.flatMap((r) => (r.alert ? [r.alert] : [])));
}

interface Target {
  expr?: string;
}
interface Panel {
  title?: string;
  targets?: Target[];
  panels?: Panel[];
}
export interface Dashboard {
  title: string;
  panels: Panel[];
  annotations: { list: { name: string; expr?: string }[] };
  templating: { list: { name: string; type: string; query?: string | { query: string } }[] };
}

export function dashboardFiles(): string[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(DASHBOARDS_DIR, f));
}

export function readDashboard(file: string): Dashboard {
  return JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
}

/**
 * Grafana expands its global variables before the query reaches Prometheus; a range such
 * as `[$__rate_interval]` is not PromQL until then. Dashboard variables like `$track` only
 * appear inside label-matcher strings, where they are already valid PromQL.
 */
export function expandGrafanaVariables(query: string): string {
  return query.replace(/\$\{?__(rate_interval|interval|range)\}?/g, '5m');
}

/** Every PromQL query of a dashboard: panel targets, annotations and variable selectors. */
export function dashboardQueries(file: string): FoundQuery[] {
  const dash = readDashboard(file);
  const name = file.slice(REPO_ROOT.length);
  const found: FoundQuery[] = [];
  const walk = (panels: Panel[]) => {
    for (const panel of panels) {
      for (const [i, t] of (panel.targets ?? []).entries()) {
        if (t.expr !== undefined)
          found.push({ where: `${name} panel "${panel.title}" target ${i}`, query: t.expr });
      }
      walk(panel.panels ?? []);
    }
  };
  walk(dash.panels);
  for (const a of dash.annotations.list) {
    if (a.expr !== undefined)
      found.push({ where: `${name} annotation "${a.name}"`, query: a.expr });
  }
  for (const v of dash.templating.list) {
    if (v.type !== 'query' || v.query === undefined) continue;
    const text = typeof v.query === 'string' ? v.query : v.query.query;
    // label_values(<selector>, <label>) is Grafana's; its selector is PromQL.
    const m = /^label_values\((.+),\s*\w+\)$/.exec(text);
    found.push({ where: `${name} variable "${v.name}"`, query: m ? m[1]! : text });
  }
  return found.map((q) => ({ ...q, query: expandGrafanaVariables(q.query) }));
}

/** The text of the first syntax error of a query, or undefined when it parses. */
export function promqlError(query: string): string | undefined {
  let error: string | undefined;
  parser.parse(query).iterate({
    enter(node) {
      if (error !== undefined) return false;
      if (node.type.isError) error = `at ${node.from}: "${query.slice(node.from, node.from + 20)}"`;
      return undefined;
    },
  });
  return error;
}

/** Metric names a query selects: `name{...}` selectors and `{__name__="name"}` matchers. */
export function metricNames(query: string): string[] {
  const names = new Set<string>();
  const tree = parser.parse(query);
  tree.iterate({
    enter(node) {
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        names.add(query.slice(node.from, node.to));
      }
      if (node.name === 'UnquotedLabelMatcher') {
        const text = query.slice(node.from, node.to);
        const m = /^__name__\s*=\s*"([^"]+)"$/.exec(text);
        if (m) names.add(m[1]!);
      }
      return undefined;
    },
  });
  return [...names];
}

/** Metric names in Prometheus text exposition (what /metrics serves). */
export function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}

interface ScrapeConfig {
  job_name: string;
  kubernetes_sd_configs?: unknown[];
  file_sd_configs?: unknown[];
  static_configs?: { targets: string[]; labels?: Record<string, string> }[];
}
export interface PrometheusConfig {
  global: Record<string, unknown>;
  alerting?: unknown;
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
}

/** A file_sd target group: what Kubernetes pod discovery would hand to the relabelling. */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

/**
 * monitoring/prometheus.yml as Debian's Prometheus can load it. Debian builds Prometheus
 * without Kubernetes service discovery (its client library is not packaged), so its
 * promtool and prometheus reject `kubernetes_sd_configs`. Only that block is swapped, for
 * a file_sd block listing `pods` (with the __meta_kubernetes_* labels pod discovery would
 * set, so the relabelling below it runs unchanged); the block itself is pinned to the one
 * shape that relabelling expects (role: pod). Rule files become absolute paths.
 */
export function configForDebianPrometheus(options: {
  dir: string;
  pods: TargetGroup[];
  edit?: (config: PrometheusConfig) => void;
}): { path: string; kubernetesJobs: string[] } {
  const config = parse(
    readFileSync(join(MONITORING, 'prometheus.yml'), 'utf8'),
  ) as PrometheusConfig;
  const kubernetesJobs: string[] = [];
  for (const job of config.scrape_configs) {
    if (!job.kubernetes_sd_configs) continue;
    if (JSON.stringify(job.kubernetes_sd_configs) !== '[{"role":"pod"}]') {
      throw new Error(`${job.job_name}: expected kubernetes_sd_configs [{role: pod}]`);
    }
    kubernetesJobs.push(job.job_name);
    delete job.kubernetes_sd_configs;
    const podsFile = join(options.dir, `${job.job_name}.json`);
    writeFileSync(podsFile, JSON.stringify(options.pods));
    job.file_sd_configs = [{ files: [podsFile] }];
  }
  config.rule_files = config.rule_files.map((glob) => join(MONITORING, glob));
  // Other file_sd files are relative to the config file: start them empty.
  for (const job of config.scrape_configs) {
    for (const sd of (job.file_sd_configs ?? []) as { files: string[] }[]) {
      for (const file of sd.files)
        if (!file.startsWith('/')) writeFileSync(join(options.dir, file), '[]');
    }
  }
  options.edit?.(config);
  const path = join(options.dir, 'prometheus.yml');
  writeFileSync(path, stringify(config));
  return { path, kubernetesJobs };
}
