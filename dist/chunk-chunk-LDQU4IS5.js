#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  detailsOf,
  findReport
} from "./chunk-chunk-XNTI4R7L.js";
import {
  certifiedParts,
  gateMetricNames,
  metricSeries,
  readGateData
} from "./chunk-chunk-MXHAXZZH.js";
import {
  runUrl
} from "./chunk-chunk-7U3TACCC.js";
import {
  PIPELINE_STAGES
} from "./chunk-chunk-P2RBSKVU.js";
import {
  external_exports
} from "./chunk-chunk-SSOYEDRJ.js";
import {
  STATUS_EMOJI,
  formatNumber,
  markdownTable
} from "./chunk-chunk-Q3LNTHG7.js";
import {
  formatDuration
} from "./chunk-chunk-PF54JKQR.js";

// src/report/delivery.ts
var PIPELINE_ORDER = PIPELINE_STAGES;
var OUTCOME_LABEL = {
  success: "\u2705 delivered",
  canary: "\u{1F424} canary deployed, awaiting the gate",
  checked: "\u2705 checks passed, nothing deployed",
  failure: "\u274C failed",
  rollback: "\u21A9\uFE0F rolled back",
  inconclusive: "\u2754 inconclusive"
};
function deliveryOutcome(stages) {
  const rollback = findReport(stages, "rollback");
  const gate = findReport(stages, "gate");
  if (rollback && rollback.status !== "success") return "failure";
  const rolledBack = rollback !== void 0 && !rollback.reason.startsWith("skipped");
  if (gate && (detailsOf(gate)?.verdict === "inconclusive" || gate.reason === "inconclusive"))
    return "inconclusive";
  if (rolledBack) return "rollback";
  if (stages.some((s) => s.status !== "success")) return "failure";
  const deploy = findReport(stages, "deploy");
  const promote = findReport(stages, "promote");
  if (!deploy && !promote) return "checked";
  if (!promote && !gate && deploy?.outputs.canary === "true") return "canary";
  return "success";
}
function sortByOrder(reports, order) {
  const rank = (s) => {
    const i = order.indexOf(s);
    return i < 0 ? order.length : i;
  };
  return [...reports].sort((a, b) => rank(a.stage) - rank(b.stage));
}
function currentReports(reports, order) {
  let latest = -Infinity;
  const kept = [];
  for (const r of sortByOrder(
    reports.filter((x) => order.includes(x.stage)),
    order
  )) {
    const t = Date.parse(r.startedAt);
    if (t < latest) continue;
    kept.push(r);
    if (t > latest) latest = t;
  }
  return kept;
}
function str(v) {
  return typeof v === "string" && v ? v : typeof v === "number" ? String(v) : void 0;
}
function pick(reports, paths) {
  for (const r of reports) {
    if (!r) continue;
    for (const path of paths) {
      let v = { ...r.details, outputs: r.outputs };
      for (const key of path.split("."))
        v = v && typeof v === "object" ? v[key] : void 0;
      const s = str(v);
      if (s) return s;
    }
  }
  return void 0;
}
function buildDeliveryView(input) {
  const stages = currentReports(input.reports, input.order).filter((r) => r.stage !== "notify");
  const get = (name) => findReport(stages, name);
  const outcome = deliveryOutcome(stages);
  const deciding = stages.find((s) => s.status !== "success" && s.stage !== "rollback") ?? (outcome !== "success" ? get("gate") : void 0) ?? stages.find((s) => s.status !== "success");
  const verdict = deciding && outcome !== "success" ? `${OUTCOME_LABEL[outcome]} (${deciding.stage}: ${deciding.reason})` : outcome === "checked" ? `${OUTCOME_LABEL[outcome]} (${stages.map((s) => s.stage).join(", ")})` : OUTCOME_LABEL[outcome];
  const { github } = input;
  const deploy = get("deploy");
  const gate = get("gate");
  const rollback = get("rollback");
  const promote = get("promote");
  const build = get("build");
  const sha = github.sha;
  const base = github.repository ? `${github.serverUrl}/${github.repository}` : void 0;
  return {
    repository: github.repository,
    environment: pick([deploy, gate, promote, rollback], ["environment", "outputs.environment"]) ?? input.environment,
    version: pick([deploy], ["outputs.version", "release.version"]) ?? pick([gate, rollback], ["version", "aborted.version"]) ?? input.version ?? pick([build], ["tags.0", "outputs.image"]) ?? sha?.slice(0, 7),
    outcome,
    verdict,
    deciding,
    stages,
    gate: readGateData(gate),
    train: get("train"),
    links: {
      run: runUrl(github),
      commit: base && sha ? `${base}/commit/${sha}` : void 0,
      pullRequest: base && github.pullRequestNumber ? `${base}/pull/${github.pullRequestNumber}` : input.pullRequestUrl,
      revertPullRequest: pick(
        [rollback, get("promote")],
        [
          "revertPullRequest.url",
          "revertPullRequest.html_url",
          "revertPullRequestUrl",
          "revertPrUrl",
          "outputs.revert-pr"
        ]
      )
    }
  };
}

// src/report/slack-limits.ts
var SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3e3,
  fields: 10,
  fieldText: 2e3,
  contextElements: 10,
  contextText: 2e3,
  /** Top-level fallback `text` (shown in notifications); Slack truncates past 40k, keep it short. */
  fallbackText: 3e3,
  /** All block text together; Slack answers `msg_blocks_too_long` well below 50 × 3,000. */
  totalBlockText: 12e3
};
function moreNote(n, what = "more") {
  return `\u2026and ${n} ${what}`;
}
function truncateText(text, max) {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}\u2026`;
}
function limitItems(items, max, more) {
  if (items.length <= max) return [...items];
  const kept = items.slice(0, Math.max(0, max - 1));
  return [...kept, more(items.length - kept.length)];
}
function fitTextObject(t, max) {
  return { ...t, text: truncateText(t.text || " ", max) };
}
function fitBlock(block) {
  switch (block.type) {
    case "header":
      return {
        ...block,
        text: {
          ...block.text,
          text: truncateText(block.text.text || " ", SLACK_LIMITS.headerText)
        }
      };
    case "section": {
      const fields = block.fields ? limitItems(block.fields, SLACK_LIMITS.fields, (n) => ({
        type: "mrkdwn",
        text: moreNote(n)
      })).map((f) => fitTextObject(f, SLACK_LIMITS.fieldText)) : void 0;
      const out = { type: "section" };
      if (block.text || !fields?.length)
        out.text = fitTextObject(
          block.text ?? { type: "mrkdwn", text: " " },
          SLACK_LIMITS.sectionText
        );
      if (fields?.length) out.fields = fields;
      return out;
    }
    case "context":
      return {
        ...block,
        elements: limitItems(block.elements, SLACK_LIMITS.contextElements, (n) => ({
          type: "mrkdwn",
          text: moreNote(n)
        })).map((e) => fitTextObject(e, SLACK_LIMITS.contextText))
      };
    case "actions":
      return {
        ...block,
        elements: block.elements.slice(0, 25).map((e) => ({ ...e, text: { ...e.text, text: truncateText(e.text.text, 75) } }))
      };
    default:
      return block;
  }
}
function blockTextLength(block) {
  switch (block.type) {
    case "header":
      return block.text.text.length;
    case "section":
      return (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0);
    case "context":
      return block.elements.reduce((n, e) => n + e.text.length, 0);
    case "actions":
      return block.elements.reduce((n, e) => n + e.text.text.length + e.url.length, 0);
    default:
      return 0;
  }
}
function moreBlock(n) {
  return {
    type: "context",
    elements: [{ type: "mrkdwn", text: moreNote(n, n === 1 ? "more block" : "more blocks") }]
  };
}
function fitMessage(message) {
  const blocks = message.blocks.map(fitBlock);
  const kept = [];
  let total = 0;
  const reserve = blockTextLength(moreBlock(999999));
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    const size = blockTextLength(block);
    const isLast = i === blocks.length - 1;
    const roomForBlock = kept.length < (isLast ? SLACK_LIMITS.blocks : SLACK_LIMITS.blocks - 1);
    const roomForText = total + size <= SLACK_LIMITS.totalBlockText - (isLast ? 0 : reserve);
    if (!roomForBlock || !roomForText) {
      kept.push(moreBlock(blocks.length - i));
      break;
    }
    kept.push(block);
    total += size;
  }
  const text = truncateText(message.text.trim() || "model-delivery", SLACK_LIMITS.fallbackText);
  return { text, blocks: kept };
}

// src/report/slack-message.ts
function slackEscape(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function link(url, label) {
  return `<${url.replace(/[<>|]/g, encodeURIComponent)}|${slackEscape(label)}>`;
}
var mrkdwn = (text) => ({ type: "mrkdwn", text });
function byConcern(a, b) {
  const rank = (m) => m.status === "fail" ? 0 : m.status === "pass" ? 2 : 1;
  return rank(a) - rank(b);
}
function formatBounds(bounds) {
  return Object.entries(bounds).map(([k, v]) => `${k} ${typeof v === "number" ? formatNumber(v) : v}`).join(", ");
}
function metricLine(m, emoji = true) {
  const bounds = formatBounds(m.bounds);
  return `${m.name} ${emoji ? `${STATUS_EMOJI[m.status] ?? ""} ` : ""}${m.status}${m.reason ? ` (${m.reason})` : ""}: canary ${formatNumber(m.canary)}, baseline ${formatNumber(m.baseline)}${bounds ? `; ${bounds}` : ""}`;
}
function metricField(m) {
  const bounds = formatBounds(m.bounds);
  const lines = [
    `${STATUS_EMOJI[m.status] ?? "\u2022"} *${slackEscape(m.name)}* ${slackEscape(m.status)}${m.reason ? ` \`${slackEscape(m.reason)}\`` : ""}`,
    `canary *${formatNumber(m.canary)}* \xB7 baseline ${formatNumber(m.baseline)}`
  ];
  if (bounds) lines.push(`bounds: ${slackEscape(bounds)}`);
  if (m.note) lines.push(`_${slackEscape(truncateText(m.note, 300))}_`);
  return mrkdwn(lines.join("\n"));
}
function headerText(view) {
  const where = [view.repository ?? "model-delivery", view.environment, view.version].filter(Boolean).join(" \xB7 ");
  return `${where} \u2014 ${view.verdict}`;
}
function fallbackText(view) {
  const failing = (view.gate?.metrics ?? []).filter((m) => m.status === "fail").map((m) => metricLine(m));
  const why = view.deciding?.message && view.outcome !== "success" ? `: ${view.deciding.message}` : "";
  return [
    `${headerText(view)}${failing.length ? "" : why}`,
    ...failing.map((l) => `failing: ${l}`)
  ].join("\n");
}
function linksLine(view) {
  const { run, commit, pullRequest, revertPullRequest } = view.links;
  const parts = [
    run && link(run, "job summary"),
    commit && link(commit, `commit ${commit.split("/").at(-1)?.slice(0, 7) ?? ""}`),
    pullRequest && link(pullRequest, `pull request #${pullRequest.split("/").at(-1) ?? ""}`),
    revertPullRequest && link(revertPullRequest, "revert pull request")
  ].filter((p) => Boolean(p));
  return parts.length ? parts.join(" \xB7 ") : void 0;
}
function stageBlock(s) {
  const head = `${STATUS_EMOJI[s.status] ?? "\u2022"} *${slackEscape(s.stage)}* \u2014 ${s.status} \`${slackEscape(s.reason)}\` (${formatDuration(s.durationMs)})`;
  const body = s.message ? `
${slackEscape(truncateText(s.message, 1500))}` : "";
  return { type: "section", text: mrkdwn(`${head}${body}`) };
}
function renderSlackMessage(view) {
  const blocks = [
    { type: "header", text: { type: "plain_text", text: headerText(view), emoji: true } }
  ];
  const links = linksLine(view);
  if (links) blocks.push({ type: "context", elements: [mrkdwn(links)] });
  for (const s of view.stages) blocks.push(stageBlock(s));
  const metrics = [...view.gate?.metrics ?? []].sort(byConcern);
  if (metrics.length) {
    blocks.push({ type: "divider" });
    blocks.push({ type: "section", text: mrkdwn(`*Gate metrics* (${metrics.length})`) });
    const groups = [];
    for (let i = 0; i < metrics.length; i += 10) groups.push(metrics.slice(i, i + 10));
    const shown = limitItems(groups, 3, () => []);
    shown.forEach((group, i) => {
      if (group.length) blocks.push({ type: "section", fields: group.map(metricField) });
      else {
        const left = metrics.length - i * 10;
        blocks.push({
          type: "context",
          elements: [mrkdwn(moreNote(left, left === 1 ? "more metric" : "more metrics"))]
        });
      }
    });
  }
  return fitMessage({ text: fallbackText(view), blocks });
}

// src/report/write-reports.ts
import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { EOL } from "node:os";
import { join } from "node:path";

// src/report/chart-data.ts
var CHART_SERIES = [
  { key: "canary", label: "canary", color: "#d62728" },
  { key: "baseline", label: "baseline", color: "#1f77b4" },
  { key: "lower", label: "lower bound", color: "#7f7f7f" },
  { key: "upper", label: "upper bound", color: "#7f7f7f" }
];
var MAX_POINTS = 60;
function chartData(s) {
  let idx = s.labels.map((_, i) => i).filter((i) => s.canary[i] !== void 0 && s.baseline[i] !== void 0);
  const skipped = s.labels.length - idx.length;
  if (idx.length === 0) return void 0;
  if (idx.length > MAX_POINTS) {
    const step = idx.length / MAX_POINTS;
    const thinned = Array.from(
      { length: MAX_POINTS - 1 },
      (_, k) => idx[Math.floor(k * step)]
    );
    idx = [...thinned, idx.at(-1)];
  }
  const complete = CHART_SERIES.map((c) => ({ ...c, values: idx.map((i) => s[c.key][i]) })).filter(
    (c) => c.values.every((v) => v !== void 0)
  );
  const data = complete.filter((c) => c.key === "canary" || c.key === "baseline").flatMap((c) => c.values);
  const lo = Math.min(...data);
  const hi = Math.max(...data);
  const span = Math.max(hi - lo, Math.abs(hi) * 0.25, 1e-9);
  const near = (v) => v >= lo - 2 * span && v <= hi + 2 * span;
  const series = complete.filter(
    (c) => c.key === "canary" || c.key === "baseline" || c.values.every(near)
  );
  const offChart = complete.filter((c) => !series.includes(c)).map((c) => `${c.label} ${shortNumber(c.values.at(-1))}`);
  const all = series.flatMap((c) => c.values);
  let min = Math.min(...all);
  let max = Math.max(...all);
  const pad = max === min ? Math.abs(max) * 0.1 || 1 : (max - min) * 0.1;
  min -= pad;
  max += pad;
  if (all.every((v) => v >= 0) && min < 0) min = 0;
  return {
    name: s.name,
    labels: idx.map((i) => s.labels[i]),
    series,
    min,
    max,
    skipped,
    offChart
  };
}
function shortNumber(v) {
  return Number(v.toPrecision(5));
}

// src/report/svg-chart.ts
function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
var W = 640;
var H = 280;
var M = { top: 28, right: 16, bottom: 56, left: 64 };
function niceTicks(min, max, target = 5) {
  const raw = (max - min) / Math.max(1, target - 1);
  if (!(raw > 0) || !Number.isFinite(raw)) return [min];
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const out = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9 && out.length < 20; t += step)
    out.push(shortNumber(t));
  return out;
}
function svgChart(data) {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const n = data.labels.length;
  const x = (i) => M.left + (n === 1 ? pw / 2 : pw * i / (n - 1));
  const y = (v) => M.top + ph - (v - data.min) / (data.max - data.min || 1) * ph;
  const f = (v) => v.toFixed(1);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="gate-chart" data-metric="${escapeHtml(data.name)}" viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W * 1.4}px" role="img" aria-label="${escapeHtml(`${data.name}: canary against baseline over the gate's looks`)}">`,
    `<title>${escapeHtml(`${data.name}: canary against baseline`)}</title>`,
    `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="#fafafa" stroke="#ddd"/>`
  ];
  for (const t of niceTicks(data.min, data.max)) {
    out.push(
      `<line x1="${M.left}" x2="${M.left + pw}" y1="${f(y(t))}" y2="${f(y(t))}" stroke="#e5e5e5"/>`,
      `<text x="${M.left - 6}" y="${f(y(t) + 4)}" text-anchor="end" font-size="11" fill="#555">${shortNumber(t)}</text>`
    );
  }
  const every = Math.max(1, Math.ceil(n / 8));
  data.labels.forEach((label, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    out.push(
      `<text x="${f(x(i))}" y="${M.top + ph + 16}" text-anchor="middle" font-size="11" fill="#555">${escapeHtml(label)}</text>`
    );
  });
  out.push(
    `<text x="${M.left + pw / 2}" y="${H - 24}" text-anchor="middle" font-size="11" fill="#555">time in gate</text>`
  );
  for (const s of data.series) {
    const bound = s.key === "lower" || s.key === "upper";
    const pts = s.values.map((v, i) => `${f(x(i))},${f(y(v))}`).join(" ");
    out.push(
      `<polyline class="series series-${s.key}" data-series="${s.key}" fill="none" stroke="${s.color}" stroke-width="${bound ? 1.5 : 2}"${bound ? ' stroke-dasharray="6 4"' : ""} points="${pts}"/>`
    );
    if (!bound) {
      s.values.forEach((v, i) => {
        out.push(
          `<circle class="point point-${s.key}" data-series="${s.key}" data-value="${v}" cx="${f(x(i))}" cy="${f(y(v))}" r="3" fill="${s.color}"><title>${escapeHtml(`${s.label} at ${data.labels[i] ?? ""}: ${v}`)}</title></circle>`
        );
      });
    }
  }
  let lx = M.left;
  const seen = /* @__PURE__ */ new Set();
  for (const s of data.series) {
    const label = s.key === "lower" || s.key === "upper" ? "bounds" : s.label;
    if (seen.has(label)) continue;
    seen.add(label);
    out.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${H - 8}" y2="${H - 8}" stroke="${s.color}" stroke-width="2"${label === "bounds" ? ' stroke-dasharray="6 4"' : ""}/>`,
      `<text x="${lx + 22}" y="${H - 4}" font-size="11" fill="#333">${escapeHtml(label)}</text>`
    );
    lx += 30 + label.length * 7;
  }
  out.push(
    `<text x="${M.left}" y="${M.top - 10}" font-size="13" font-weight="600" fill="#222">${escapeHtml(data.name)}</text>`,
    "</svg>"
  );
  return out.join("\n");
}

// src/report/train-data.ts
var num = external_exports.number().optional().catch(void 0);
var row = external_exports.looseObject({
  metric: external_exports.string(),
  value: num,
  threshold: external_exports.string().optional().catch(void 0),
  baseline: num,
  delta: num,
  status: external_exports.string().catch("unknown"),
  problems: external_exports.array(external_exports.string()).catch([])
});
var details = external_exports.looseObject({ checks: external_exports.array(row.nullable().catch(null)).catch([]) });
function readTrainChecks(report) {
  if (!report) return [];
  return details.parse(report.details ?? {}).checks.filter((c) => c !== null).map(({ metric, value, threshold, baseline, delta, status, problems }) => ({
    metric,
    value,
    threshold,
    baseline,
    delta,
    status,
    problems
  }));
}

// src/report/html-report.ts
var CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
var STYLE = `
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
var BADGE_CLASS = {
  success: "ok",
  pass: "ok",
  failure: "bad",
  fail: "bad",
  error: "bad"
};
function badge(status) {
  return `<span class="badge badge-${BADGE_CLASS[status] ?? "other"}">${escapeHtml(status)}</span>`;
}
function link2(url, label) {
  return url ? `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>` : "";
}
function decision(view) {
  const failing = (view.gate?.metrics ?? []).filter((m) => m.status === "fail");
  const why = view.deciding && view.outcome !== "success" ? `<p>${escapeHtml(view.deciding.message ?? view.deciding.reason)}</p>` : "";
  const metrics = failing.length ? `<ul>${failing.map((m) => `<li>${escapeHtml(metricLine(m, false))}</li>`).join("")}</ul>` : "";
  return `<section class="decision outcome-${view.outcome}" id="decision"><strong>Decision: ${escapeHtml(view.verdict)}</strong>${why}${metrics}</section>`;
}
function stagesTable(stages) {
  const rows = stages.map(
    (s) => `<tr><td>${escapeHtml(s.stage)}</td><td>${badge(s.status)}</td><td><code>${escapeHtml(s.reason)}</code></td><td class="num">${escapeHtml(formatDuration(s.durationMs))}</td><td>${escapeHtml(s.message ?? "")}</td></tr>`
  );
  return `<table id="stages"><thead><tr><th>stage</th><th>status</th><th>reason</th><th>duration</th><th>message</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
function trainTable(report) {
  const checks = readTrainChecks(report);
  if (!checks.length) return "";
  const rows = checks.map(
    (c) => `<tr><td>${escapeHtml(c.metric)}</td><td class="num">${formatNumber(c.value)}</td><td>${escapeHtml(c.threshold ?? "")}</td><td class="num">${formatNumber(c.baseline)}</td><td class="num">${c.delta === void 0 ? "" : escapeHtml(`${c.delta >= 0 ? "+" : ""}${formatNumber(c.delta)}`)}</td><td>${badge(c.status)}${c.problems.length ? `: ${escapeHtml(c.problems.join("; "))}` : ""}</td></tr>`
  );
  return `<h2>Smoke training</h2><table id="train"><thead><tr><th>metric</th><th>value</th><th>threshold</th><th>baseline</th><th>delta</th><th>status</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
function caption(d) {
  const notes = [
    d.skipped ? `${d.skipped} look(s) without data are not drawn.` : "",
    d.offChart.length ? `Off the chart: ${d.offChart.join(", ")}.` : ""
  ].filter(Boolean);
  return notes.length ? `<figcaption class="muted">${escapeHtml(notes.join(" "))}</figcaption>` : "";
}
function gateSection(view) {
  const gate = view.gate;
  if (!gate) return "";
  const rows = gate.metrics.map(
    (m) => `<tr><td>${escapeHtml(m.name)}</td><td>${badge(m.status)}</td><td class="num">${formatNumber(m.canary)}</td><td class="num">${formatNumber(m.baseline)}</td><td>${escapeHtml(formatBounds(m.bounds))}</td><td>${escapeHtml(m.reason ?? "")}${m.note ? ` \u2014 ${escapeHtml(m.note)}` : ""}</td></tr>`
  );
  const table = rows.length ? `<table id="gate-metrics"><thead><tr><th>metric</th><th>status</th><th>canary</th><th>baseline</th><th>bounds</th><th>reason</th></tr></thead><tbody>${rows.join("")}</tbody></table>` : "";
  const certified = gate.metrics.map(
    (m) => `<li><strong>${escapeHtml(m.name)}</strong>: ${escapeHtml(certifiedParts(m).join(". "))}.</li>`
  );
  const certifies = certified.length ? `<h3>What the verdict certifies</h3><ul id="gate-certifies">${certified.join("")}</ul>` : "";
  const charts = gateMetricNames(gate).map((name) => chartData(metricSeries(gate, name))).filter((d) => d !== void 0).map((d) => `<figure class="chart">${svgChart(d)}${caption(d)}</figure>`);
  const ramp = gate.steps ? `; steps ${gate.steps.map((p) => `${formatNumber(p)}%`).join(" \u2192 ")}, verdict at ${gate.step === void 0 ? "?" : `${formatNumber(gate.step)}%`}` : "";
  return `<h2>Gate</h2><p class="muted">${gate.looks.length} look(s)${escapeHtml(ramp)}; verdict as the gate reported it: ${escapeHtml(gate.verdict ?? view.stages.find((s) => s.stage === "gate")?.reason ?? "")}</p>${table}${certifies}<div class="charts">${charts.join("")}</div>`;
}
function stageDetails(stages) {
  return stages.filter((s) => s.summary).map(
    (s) => `<details><summary>${escapeHtml(s.stage)}: summary as written to the job summary</summary><pre>${escapeHtml(s.summary ?? "")}</pre></details>`
  ).join("");
}
function renderHtmlReport(view, generatedAt = /* @__PURE__ */ new Date()) {
  const { links } = view;
  const linkLine = [
    link2(links.run, "job summary"),
    link2(links.commit, "commit"),
    link2(links.pullRequest, "pull request"),
    link2(links.revertPullRequest, "revert pull request")
  ].filter(Boolean).join(" \xB7 ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(headerText(view))}</title>
<style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(headerText(view))}</h1>
<p class="muted">model-delivery report, generated ${escapeHtml(generatedAt.toISOString())}${linkLine ? ` \xB7 ${linkLine}` : ""}</p>
${decision(view)}
<h2>Stages</h2>${stagesTable(view.stages)}
${trainTable(view.train)}
${gateSection(view)}
${stageDetails(view.stages)}
</main></body></html>
`;
}

// src/report/mermaid-chart.ts
function quote(text) {
  return `"${text.replace(/["\n\r`]/g, "'")}"`;
}
function mermaidChart(data) {
  const palette = data.series.map((s) => s.color).join(", ");
  const lines = [
    "```mermaid",
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    "xychart-beta",
    `  title ${quote(`${data.name}: canary vs baseline`)}`,
    `  x-axis ${quote("time in gate")} [${data.labels.map(quote).join(", ")}]`,
    `  y-axis ${quote(data.name)} ${shortNumber(data.min)} --> ${shortNumber(data.max)}`,
    ...data.series.map((s) => `  line [${s.values.map(shortNumber).join(", ")}]`),
    "```"
  ];
  return lines.join("\n");
}
var COLOUR_NAME = {
  "#d62728": "red",
  "#1f77b4": "blue",
  "#7f7f7f": "grey"
};
function legend(data) {
  const parts = data.series.map(
    (s) => `${s.key === "lower" || s.key === "upper" ? "bounds" : s.label} (${COLOUR_NAME[s.color] ?? s.color})`
  );
  const skipped = data.skipped ? `; ${data.skipped} look(s) without data not drawn` : "";
  const off = data.offChart.length ? `; off the chart: ${data.offChart.join(", ")}` : "";
  return `_${[...new Set(parts)].join(", ")}${skipped}${off}_`;
}
function gateMermaidCharts(gate) {
  const charts = gateMetricNames(gate).map((name) => chartData(metricSeries(gate, name))).filter((d) => d !== void 0).map((d) => `**${d.name}**

${legend(d)}

${mermaidChart(d)}`);
  return charts.join("\n\n");
}

// src/report/summary.ts
var SUMMARY_LIMIT_BYTES = 1024 * 1024 - 16 * 1024;
function gateMetricsTable(gate) {
  if (!gate?.metrics.length) return "";
  return markdownTable(
    ["metric", "status", "canary", "baseline", "bounds", "reason"],
    gate.metrics.map((m) => [
      m.name,
      `${STATUS_EMOJI[m.status] ?? ""} ${m.status}`,
      formatNumber(m.canary),
      formatNumber(m.baseline),
      formatBounds(m.bounds),
      m.reason ?? ""
    ])
  );
}
function gateCharts(report) {
  if (report.summary?.includes("xychart-beta")) return "";
  const gate = readGateData(report);
  return gate ? gateMermaidCharts(gate) : "";
}
function stageSection(report) {
  const head = `## ${STATUS_EMOJI[report.status] ?? ""} ${report.stage} \u2014 ${report.status} (\`${report.reason}\`, ${formatDuration(report.durationMs)})`;
  const isGate = report.stage === "gate";
  const body = report.summary ?? (isGate ? gateMetricsTable(readGateData(report)) : "") ?? "";
  const parts = [head, body || report.message || ""];
  if (body && report.message && report.status !== "success")
    parts.splice(1, 0, `> ${report.message.replace(/\r?\n/g, " ")}`);
  const charts = isGate ? gateCharts(report) : "";
  if (charts) parts.push(`### Canary against baseline, per look

${charts}`);
  return truncateMarkdown(`${parts.filter(Boolean).join("\n\n")}
`, SUMMARY_LIMIT_BYTES);
}
function renderSummary(reports, order) {
  return truncateMarkdown(
    `# model-delivery

${currentReports(reports, order).map(stageSection).join("\n")}`,
    SUMMARY_LIMIT_BYTES
  );
}
function truncateMarkdown(text, limitBytes) {
  const bytes = Buffer.byteLength(text);
  if (bytes <= limitBytes) return text;
  const note = `

> \u2702\uFE0F Truncated: this section was ${bytes} bytes; GitHub accepts at most 1 MiB per step. The full report is in .model-delivery/reports/.
`;
  const fence = "\n```";
  const room = Math.max(0, limitBytes - Buffer.byteLength(note) - Buffer.byteLength(fence));
  let keep = Buffer.from(text).subarray(0, room).toString("utf8");
  keep = keep.replace(/\uFFFD+$/, "");
  const fences = keep.match(/^```/gm)?.length ?? 0;
  if (fences % 2 === 1) keep += fence;
  return keep + note;
}

// src/report/write-reports.ts
function currentSize(file) {
  return existsSync(file) ? statSync(file).size : 0;
}
async function writeSummary(options) {
  const stepFile = options.summaryFile;
  if (options.actions && stepFile) {
    const budget = Math.max(1024, SUMMARY_LIMIT_BYTES - currentSize(stepFile));
    appendFileSync(stepFile, `${truncateMarkdown(stageSection(options.report), budget)}${EOL}`);
    return stepFile;
  }
  const reports = options.store.all();
  const file = join(options.store.dir, "summary.md");
  mkdirSync(options.store.dir, { recursive: true });
  writeFileSync(file, renderSummary(reports, options.order));
  if (options.report.stage !== "notify")
    writeHtmlReport({ store: options.store, reports, order: options.order });
  return file;
}
function writeHtmlReport(options) {
  const view = options.view ?? buildDeliveryView({
    reports: options.reports ?? options.store.all(),
    github: options.github ?? {
      actions: false,
      serverUrl: "https://github.com",
      apiUrl: "https://api.github.com"
    },
    order: options.order
  });
  const file = join(options.store.dir, "report.html");
  mkdirSync(options.store.dir, { recursive: true });
  writeFileSync(file, renderHtmlReport(view));
  return file;
}

export {
  PIPELINE_ORDER,
  buildDeliveryView,
  renderSlackMessage,
  readTrainChecks,
  gateMermaidCharts,
  gateMetricsTable,
  truncateMarkdown,
  writeSummary,
  writeHtmlReport
};
