#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  external_exports
} from "./chunk-chunk-SSOYEDRJ.js";
import {
  formatNumber
} from "./chunk-chunk-Q3LNTHG7.js";

// src/report/gate-data.ts
function certifiedParts(m) {
  const shown = m.claims.filter((c) => c.shown).map((c) => c.claim);
  const open = m.claims.filter((c) => !c.shown).map((c) => `${c.claim}${c.supported ? ` (the data support ${c.supported})` : ""}`);
  const level = m.certifiedAt === void 0 ? "" : ` at ${formatNumber(Math.round(m.certifiedAt * 1e3) / 10)}%`;
  const r = m.resolution;
  return [
    shown.length ? `certifies${level}: ${shown.join("; ")}` : "certifies nothing",
    ...open.length ? [`not shown: ${open.join("; ")}`] : [],
    ...m.note ? [m.note] : [],
    ...r ? [
      `baseline p${formatNumber(r.quantile * 100)} ${formatNumber(r.value)} lies in the bucket (${r.lower}, ${r.upper ?? "+Inf"}]: interpolated inside it, as histogram_quantile does`
    ] : []
  ];
}
var num = external_exports.union([external_exports.number(), external_exports.null(), external_exports.string()]).optional().transform((v) => typeof v === "number" && Number.isFinite(v) ? v : void 0).catch(void 0);
var point = external_exports.looseObject({ canary: num, baseline: num });
var look = external_exports.looseObject({
  t: external_exports.union([external_exports.number(), external_exports.string()]).catch(""),
  step: external_exports.number().optional().catch(void 0),
  metrics: external_exports.record(external_exports.string(), point.catch({ canary: void 0, baseline: void 0 })).catch({})
});
var claim = external_exports.looseObject({
  claim: external_exports.string(),
  shown: external_exports.boolean().catch(false),
  supported: external_exports.string().optional().catch(void 0)
});
var resolution = external_exports.looseObject({ quantile: external_exports.number(), value: external_exports.number(), lower: external_exports.number(), upper: num }).optional().catch(void 0);
var metricRow = external_exports.looseObject({
  name: external_exports.string(),
  claims: external_exports.array(claim.nullable().catch(null)).catch([]).optional().transform((cs) => (cs ?? []).filter((c) => c !== null)),
  certifiedAt: num,
  resolution,
  status: external_exports.string().catch("unknown"),
  reason: external_exports.string().optional().catch(void 0),
  critical: external_exports.boolean().optional().catch(void 0),
  canary: num,
  baseline: num,
  bounds: external_exports.record(external_exports.string(), external_exports.union([external_exports.number(), external_exports.string()])).catch({}),
  note: external_exports.string().optional().catch(void 0)
});
var gateDetails = external_exports.looseObject({
  verdict: external_exports.string().optional().catch(void 0),
  steps: external_exports.array(external_exports.number()).optional().catch(void 0),
  step: external_exports.number().optional().catch(void 0),
  looks: external_exports.array(look.nullable().catch(null)).catch([]),
  metrics: external_exports.union([
    external_exports.array(metricRow.nullable().catch(null)),
    // Also accept `{ name: row }`.
    external_exports.record(external_exports.string(), external_exports.looseObject({}).catch({})).transform(
      (m) => Object.entries(m).map(
        ([name, row]) => metricRow.nullable().catch(null).parse({ ...row, name })
      )
    )
  ]).catch([])
});
function readGateData(report) {
  if (!report) return void 0;
  const parsed = gateDetails.parse(report.details ?? {});
  return {
    verdict: parsed.verdict,
    ...parsed.steps ? { steps: parsed.steps } : {},
    ...parsed.step === void 0 ? {} : { step: parsed.step },
    looks: parsed.looks.filter((l) => l !== null),
    metrics: parsed.metrics.filter((m) => m !== null).map((m) => ({
      name: m.name,
      status: m.status,
      reason: m.reason,
      critical: m.critical,
      canary: m.canary,
      baseline: m.baseline,
      bounds: m.bounds,
      note: m.note,
      claims: m.claims.map(({ claim: c, shown, supported }) => ({
        claim: c,
        shown,
        ...supported === void 0 ? {} : { supported }
      })),
      certifiedAt: m.certifiedAt,
      resolution: m.resolution && {
        quantile: m.resolution.quantile,
        value: m.resolution.value,
        lower: m.resolution.lower,
        ...m.resolution.upper === void 0 ? {} : { upper: m.resolution.upper }
      }
    }))
  };
}
function gateMetricNames(gate) {
  const names = gate.metrics.map((m) => m.name);
  for (const l of gate.looks)
    for (const n of Object.keys(l.metrics)) if (!names.includes(n)) names.push(n);
  return names;
}
function tolerance(v) {
  if (v === void 0) return void 0;
  const text = String(v).trim();
  const percent = text.endsWith("%");
  const value = Number(percent ? text.slice(0, -1) : text);
  return Number.isFinite(value) ? { percent, value: percent ? value / 100 : value } : void 0;
}
var tightest = (pick, values) => {
  const known = values.filter((v) => v !== void 0 && Number.isFinite(v));
  return known.length ? known.reduce((a, b) => pick(a, b)) : void 0;
};
function metricSeries(gate, name) {
  const points = gate.looks.map((l) => l.metrics[name] ?? {});
  const bounds = gate.metrics.find((m) => m.name === name)?.bounds ?? {};
  const num2 = (v) => typeof v === "number" ? v : void 0;
  const inc = tolerance(bounds.maxIncrease);
  const dec = tolerance(bounds.maxDecrease);
  const relative = (b, t, sign) => b === void 0 || !t ? void 0 : t.percent ? b * (1 + sign * t.value) : b + sign * t.value;
  return {
    name,
    labels: gate.looks.map(
      (l, i) => lookLabel(l.t, i) + (l.step === void 0 ? "" : ` @${l.step}%`)
    ),
    canary: points.map((p) => p.canary),
    baseline: points.map((p) => p.baseline),
    upper: points.map((p) => tightest(Math.min, [num2(bounds.max), relative(p.baseline, inc, 1)])),
    lower: points.map((p) => tightest(Math.max, [num2(bounds.min), relative(p.baseline, dec, -1)]))
  };
}
function lookLabel(t, index) {
  if (typeof t === "string") return t || `#${index + 1}`;
  const s = Math.round(t);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ""}` : `${s}s`;
}

export {
  certifiedParts,
  readGateData,
  gateMetricNames,
  metricSeries
};
