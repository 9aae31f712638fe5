import { DELIVERY_OUTCOMES, PIPELINE_STAGES, type DeliveryOutcome } from '../core/pipeline.js';
import { runUrl, type GitHubContext } from '../core/run-context.js';
import { readGateData, type GateData } from './gate-data.js';
import { detailsOf, findReport, type ReportingStage, type StageReport } from './stage-report.js';

/** Pipeline order, for renderers that cannot import the stage registry. */
export const PIPELINE_ORDER = PIPELINE_STAGES;

export { DELIVERY_OUTCOMES, type DeliveryOutcome };

export const OUTCOME_LABEL: Record<DeliveryOutcome, string> = {
  success: '✅ delivered',
  canary: '🐤 canary deployed, awaiting the gate',
  checked: '✅ checks passed, nothing deployed',
  failure: '❌ failed',
  rollback: '↩️ rolled back',
  inconclusive: '❔ inconclusive',
};

export interface DeliveryLinks {
  run?: string;
  commit?: string;
  pullRequest?: string;
  revertPullRequest?: string;
}

/** Everything a renderer shows, read from the stage reports; no renderer decides anything. */
export interface DeliveryView {
  repository?: string;
  environment?: string;
  version?: string;
  outcome: DeliveryOutcome;
  /** e.g. "↩️ rolled back (gate: threshold_exceeded)". */
  verdict: string;
  /** The stage whose report decided the outcome (the first that did not succeed, or the gate). */
  deciding?: StageReport;
  /** The reports in pipeline order, without notify's own. */
  stages: StageReport[];
  gate?: GateData;
  train?: StageReport<'train'>;
  links: DeliveryLinks;
}

/**
 * The delivery's outcome from the stages' statuses and reasons, as they were recorded:
 * a rollback stage that did not succeed is a failure; a gate that reported `inconclusive`
 * is inconclusive; a rollback that ran is a rollback; any stage that did not succeed is
 * a failure; no deploy or promote: checked; a canary nothing has judged yet: canary;
 * otherwise success.
 */
export function deliveryOutcome(stages: readonly StageReport[]): DeliveryOutcome {
  const rollback = findReport(stages, 'rollback');
  const gate = findReport(stages, 'gate');
  if (rollback && rollback.status !== 'success') return 'failure';
  // `skipped_after_promote` and the like: the rollback stage ran but rolled nothing back.
  const rolledBack = rollback !== undefined && !rollback.reason.startsWith('skipped');
  if (gate && (detailsOf(gate)?.verdict === 'inconclusive' || gate.reason === 'inconclusive'))
    return 'inconclusive';
  if (rolledBack) return 'rollback';
  if (stages.some((s) => s.status !== 'success')) return 'failure';
  const deploy = findReport(stages, 'deploy');
  const promote = findReport(stages, 'promote');
  if (!deploy && !promote) return 'checked';
  if (!promote && !gate && deploy?.outputs.canary === 'true') return 'canary';
  return 'success';
}

function sortByOrder(reports: readonly StageReport[], order: readonly string[]): StageReport[] {
  const rank = (s: string) => {
    const i = order.indexOf(s);
    return i < 0 ? order.length : i;
  };
  return [...reports].sort((a, b) => rank(a.stage) - rank(b.stage));
}

/**
 * The reports of the latest delivery, in pipeline order. Stages of one delivery start in
 * pipeline order, so a report that started before an earlier stage's report is left from
 * an earlier delivery (train re-run after yesterday's gate; a new deploy whose gate has
 * not run yet) and is dropped. Commands outside the pipeline (stop) are not part of it.
 */
export function currentReports(
  reports: readonly StageReport[],
  order: readonly string[],
): StageReport[] {
  let latest = -Infinity;
  const kept: StageReport[] = [];
  for (const r of sortByOrder(
    reports.filter((x) => order.includes(x.stage)),
    order,
  )) {
    const t = Date.parse(r.startedAt);
    if (t < latest) continue;
    kept.push(r);
    if (t > latest) latest = t;
  }
  return kept;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined;
}

/** The first string found at one of these detail paths of these reports. */
function pick(reports: (StageReport | undefined)[], paths: string[]): string | undefined {
  for (const r of reports) {
    if (!r) continue;
    for (const path of paths) {
      let v: unknown = { ...r.details, outputs: r.outputs };
      for (const key of path.split('.'))
        v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
      const s = str(v);
      if (s) return s;
    }
  }
  return undefined;
}

export interface DeliveryViewInput {
  reports: readonly StageReport[];
  github: GitHubContext;
  order: readonly string[];
  /** Fallbacks when no report names them (config's environment, --version). */
  environment?: string;
  version?: string;
  /** The pull request that shipped the commit, when the event does not name one (push). */
  pullRequestUrl?: string;
}

export function buildDeliveryView(input: DeliveryViewInput): DeliveryView {
  const stages = currentReports(input.reports, input.order).filter((r) => r.stage !== 'notify');
  const get = <S extends ReportingStage>(name: S) => findReport(stages, name);
  const outcome = deliveryOutcome(stages);
  const deciding =
    stages.find((s) => s.status !== 'success' && s.stage !== 'rollback') ??
    (outcome !== 'success' ? get('gate') : undefined) ??
    stages.find((s) => s.status !== 'success');
  const verdict =
    deciding && outcome !== 'success'
      ? `${OUTCOME_LABEL[outcome]} (${deciding.stage}: ${deciding.reason})`
      : outcome === 'checked'
        ? `${OUTCOME_LABEL[outcome]} (${stages.map((s) => s.stage).join(', ')})`
        : OUTCOME_LABEL[outcome];
  const { github } = input;
  const deploy = get('deploy');
  const gate = get('gate');
  const rollback = get('rollback');
  const promote = get('promote');
  const build = get('build');
  const sha = github.sha;
  const base = github.repository ? `${github.serverUrl}/${github.repository}` : undefined;
  return {
    repository: github.repository,
    environment:
      pick([deploy, gate, promote, rollback], ['environment', 'outputs.environment']) ??
      input.environment,
    version:
      pick([deploy], ['outputs.version', 'release.version']) ??
      pick([gate, rollback], ['version', 'aborted.version']) ??
      input.version ??
      pick([build], ['tags.0', 'outputs.image']) ??
      sha?.slice(0, 7),
    outcome,
    verdict,
    deciding,
    stages,
    gate: readGateData(gate),
    train: get('train'),
    links: {
      run: runUrl(github),
      commit: base && sha ? `${base}/commit/${sha}` : undefined,
      pullRequest:
        base && github.pullRequestNumber
          ? `${base}/pull/${github.pullRequestNumber}`
          : input.pullRequestUrl,
      revertPullRequest: pick(
        [rollback, get('promote')],
        [
          'revertPullRequest.url',
          'revertPullRequest.html_url',
          'revertPullRequestUrl',
          'revertPrUrl',
          'outputs.revert-pr',
        ],
      ),
    },
  };
}
