import { caretSnippet, checkPromqlSyntax } from '../analysis/promql-syntax.js';
import { formatDuration } from '../core/duration.js';
import { displayCommand, runCommand, toArgv } from '../core/run-command.js';
import { expandManifestPaths, validateManifests } from '../lint/manifests.js';
import { collectPromqlQueries } from '../lint/promql-queries.js';
import { STATUS_EMOJI, markdownTable } from '../report/markdown.js';
import type { StageContext, StageDefinition, StageOutcome } from './types.js';

interface CheckRow {
  check: string;
  status: 'success' | 'failure' | 'warning';
  detail: string;
}

async function runLint(ctx: StageContext): Promise<StageOutcome<'lint'>> {
  const { config, log, root } = ctx;
  const rows: CheckRow[] = [{ check: 'config', status: 'success', detail: 'valid' }];

  await ctx.log.group('PromQL queries', async () => {
    for (const { path, query } of collectPromqlQueries(config)) {
      const error = checkPromqlSyntax(query);
      if (!error) {
        rows.push({ check: path, status: 'success', detail: 'PromQL syntax ok' });
        continue;
      }
      const detail = `PromQL syntax error at line ${error.line}, column ${error.column}: ${error.message}`;
      log.error(`${path}: ${detail}\n${caretSnippet(query, error)}`, {
        title: 'PromQL syntax error',
        file: ctx.configPath,
      });
      rows.push({ check: path, status: 'failure', detail });
    }
  });

  await ctx.log.group('Kubernetes manifests', async () => {
    const { files, missing } = expandManifestPaths(root, config.lint.manifests);
    for (const m of missing) {
      log.error(`lint.manifests: ${m} does not exist`);
      rows.push({ check: m, status: 'failure', detail: 'file not found' });
    }
    const { objects, problems } = validateManifests(root, files);
    for (const p of problems) {
      const text = `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`;
      if (p.severity === 'error')
        log.error(text, { file: p.file, startLine: p.line, title: 'Manifest' });
      else log.warn(text, { file: p.file, startLine: p.line, title: 'Manifest' });
      rows.push({
        check: p.file,
        status: p.severity === 'error' ? 'failure' : 'warning',
        detail: p.message,
      });
    }
    if (files.length > 0 && !problems.some((p) => p.severity === 'error')) {
      rows.push({
        check: 'manifests',
        status: 'success',
        detail: `${objects.length} objects in ${files.length} files`,
      });
    }
  });

  for (const [i, entry] of config.lint.commands.entries()) {
    const spec =
      typeof entry === 'object' && !Array.isArray(entry) ? entry : { run: entry, name: undefined };
    const label = `lint.commands[${i}]`;
    const shown = spec.name ?? displayCommand(toArgv(spec.run));
    const result = await log.group(`lint: ${shown}`, () =>
      runCommand({
        command: spec.run,
        label,
        cwd: root,
        timeoutMs: config.lint.timeout,
        log,
        env: ctx.env as Record<string, string>,
      }),
    );
    if (result.exitCode === 0) {
      rows.push({
        check: shown,
        status: 'success',
        detail: `passed in ${formatDuration(result.durationMs)}`,
      });
    } else {
      const detail = `\`${displayCommand(result.argv)}\` exited with code ${result.exitCode}`;
      log.error(`${label}: ${detail}`, { title: `Lint failed: ${shown}` });
      rows.push({ check: shown, status: 'failure', detail });
    }
  }

  const failed = rows.filter((r) => r.status === 'failure');
  const summary = markdownTable(
    ['check', 'status', 'detail'],
    rows.map((r) => [r.check, `${STATUS_EMOJI[r.status]} ${r.status}`, r.detail]),
  );
  return {
    status: failed.length ? 'failure' : 'success',
    reason: failed.length ? 'lint_errors' : 'ok',
    message: failed.length
      ? `${failed.length} lint check(s) failed: ${failed.map((f) => f.check).join(', ')}`
      : 'all lint checks passed',
    details: { checks: rows, errors: failed.length },
    summary,
  };
}

export const lintStage: StageDefinition<'lint'> = {
  name: 'lint',
  description: 'run lint commands; check the config, its PromQL and the Kubernetes manifests',
  run: runLint,
};
