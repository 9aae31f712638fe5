import { formatDuration } from '../core/duration.js';
import { chartData, type ChartData } from './chart-data.js';
import type { DeliveryView } from './delivery.js';
import { certifiedParts, gateMetricNames, metricSeries } from './gate-data.js';
import { formatNumber } from './markdown.js';
import { formatBounds, headerText, metricLine } from './slack-message.js';
import type { StageReport } from './stage-report.js';
import { escapeHtml as h, svgChart } from './svg-chart.js';
import { readTrainChecks } from './train-data.js';

// No script, no external resource: the page must read the same offline, in an artifact.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#fff}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.decision{border-radius:8px;padding:12px 16px;margin:16px 0;border:1px solid}
.outcome-success{background:#dafbe1;border-color:#4ac26b}.outcome-failure{background:#ffebe9;border-color:#ff8182}
.outcome-rollback{background:#fff8c5;border-color:#d4a72c}.outcome-inconclusive{background:#ddf4ff;border-color:#54aeff}
.outcome-canary{background:#fff8c5;border-color:#d4a72c}.outcome-checked{background:#f6f8fa;border-color:#d0d7de}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:grid;grid-template-columns:1fr;gap:16px}.chart{border:1px solid #d0d7de;border-radius:6px;padding:8px}
pre{white-space:pre-wrap;background:#f6f8fa;padding:8px;border-radius:6px;font-size:12px}
.muted{color:#656d76}figure{margin:0}
.badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;border:1px solid}
.badge-ok{background:#dafbe1;color:#116329;border-color:#4ac26b}.badge-bad{background:#ffebe9;color:#a40e26;border-color:#ff8182}
.badge-other{background:#f6f8fa;color:#57606a;border-color:#d0d7de}a{color:#0969da}
`;

// Status as a coloured badge: emoji fonts are not on every machine that opens the file.
const BADGE_CLASS: Record<string, string> = {
  success: 'ok',
  pass: 'ok',
  failure: 'bad',
  fail: 'bad',
  error: 'bad',
};
function badge(status: string): string {
  return `<span class="badge badge-${BADGE_CLASS[status] ?? 'other'}">${h(status)}</span>`;
}

function link(url: string | undefined, label: string): string {
  return url ? `<a href="${h(url)}">${h(label)}</a>` : '';
}

function decision(view: DeliveryView): string {
  const failing = (view.gate?.metrics ?? []).filter((m) => m.status === 'fail');
  const why =
    view.deciding && view.outcome !== 'success'
      ? `<p>${h(view.deciding.message ?? view.deciding.reason)}</p>`
      : '';
  const metrics = failing.length
    ? `<ul>${failing.map((m) => `<li>${h(metricLine(m, false))}</li>`).join('')}</ul>`
    : '';
  return `<section class="decision outcome-${view.outcome}" id="decision"><strong>Decision: ${h(view.verdict)}</strong>${why}${metrics}</section>`;
}

function stagesTable(stages: StageReport[]): string {
  const rows = stages.map(
    (s) =>
      `<tr><td>${h(s.stage)}</td><td>${badge(s.status)}</td><td><code>${h(s.reason)}</code></td><td class="num">${h(formatDuration(s.durationMs))}</td><td>${h(s.message ?? '')}</td></tr>`,
  );
  return `<table id="stages"><thead><tr><th>stage</th><th>status</th><th>reason</th><th>duration</th><th>message</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function trainTable(report: StageReport | undefined): string {
  const checks = readTrainChecks(report);
  if (!checks.length) return '';
  const rows = checks.map(
    (c) =>
      `<tr><td>${h(c.metric)}</td><td class="num">${formatNumber(c.value)}</td><td>${h(c.threshold ?? '')}</td><td class="num">${formatNumber(c.baseline)}</td><td class="num">${c.delta === undefined ? '' : h(`${c.delta >= 0 ? '+' : ''}${formatNumber(c.delta)}`)}</td><td>${badge(c.status)}${c.problems.length ? `: ${h(c.problems.join('; '))}` : ''}</td></tr>`,
  );
  return `<h2>Smoke training</h2><table id="train"><thead><tr><th>metric</th><th>value</th><th>threshold</th><th>baseline</th><th>delta</th><th>status</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function caption(d: ChartData): string {
  const notes = [
    d.skipped ? `${d.skipped} look(s) without data are not drawn.` : '',
    d.offChart.length ? `Off the chart: ${d.offChart.join(', ')}.` : '',
  ].filter(Boolean);
  return notes.length ? `<figcaption class="muted">${h(notes.join(' '))}</figcaption>` : '';
}

function gateSection(view: DeliveryView): string {
  const gate = view.gate;
  if (!gate) return '';
  const rows = gate.metrics.map(
    (m) =>
      `<tr><td>${h(m.name)}</td><td>${badge(m.status)}</td><td class="num">${formatNumber(m.canary)}</td><td class="num">${formatNumber(m.baseline)}</td><td>${h(formatBounds(m.bounds))}</td><td>${h(m.reason ?? '')}${m.note ? ` — ${h(m.note)}` : ''}</td></tr>`,
  );
  const table = rows.length
    ? `<table id="gate-metrics"><thead><tr><th>metric</th><th>status</th><th>canary</th><th>baseline</th><th>bounds</th><th>reason</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '';
  // What each verdict certifies, as the job summary says it (a pass's claims and margins).
  const certified = gate.metrics.map(
    (m) => `<li><strong>${h(m.name)}</strong>: ${h(certifiedParts(m).join('. '))}.</li>`,
  );
  const certifies = certified.length
    ? `<h3>What the verdict certifies</h3><ul id="gate-certifies">${certified.join('')}</ul>`
    : '';
  const charts = gateMetricNames(gate)
    .map((name) => chartData(metricSeries(gate, name)))
    .filter((d): d is ChartData => d !== undefined)
    .map((d) => `<figure class="chart">${svgChart(d)}${caption(d)}</figure>`);
  const ramp = gate.steps
    ? `; steps ${gate.steps.map((p) => `${formatNumber(p)}%`).join(' → ')}, verdict at ${gate.step === undefined ? '?' : `${formatNumber(gate.step)}%`}`
    : '';
  return `<h2>Gate</h2><p class="muted">${gate.looks.length} look(s)${h(ramp)}; verdict as the gate reported it: ${h(gate.verdict ?? view.stages.find((s) => s.stage === 'gate')?.reason ?? '')}</p>${table}${certifies}<div class="charts">${charts.join('')}</div>`;
}

function stageDetails(stages: StageReport[]): string {
  return stages
    .filter((s) => s.summary)
    .map(
      (s) =>
        `<details><summary>${h(s.stage)}: summary as written to the job summary</summary><pre>${h(s.summary ?? '')}</pre></details>`,
    )
    .join('');
}

/** The self-contained HTML report: the decision, the stages, training, the gate's charts. */
export function renderHtmlReport(view: DeliveryView, generatedAt = new Date()): string {
  const { links } = view;
  const linkLine = [
    link(links.run, 'job summary'),
    link(links.commit, 'commit'),
    link(links.pullRequest, 'pull request'),
    link(links.revertPullRequest, 'revert pull request'),
  ]
    .filter(Boolean)
    .join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${h(headerText(view))}</title>
<style>${STYLE}</style></head>
<body><main>
<h1>${h(headerText(view))}</h1>
<p class="muted">model-delivery report, generated ${h(generatedAt.toISOString())}${linkLine ? ` · ${linkLine}` : ''}</p>
${decision(view)}
<h2>Stages</h2>${stagesTable(view.stages)}
${trainTable(view.train)}
${gateSection(view)}
${stageDetails(view.stages)}
</main></body></html>
`;
}
