#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  writeSummary
} from "./chunk-chunk-LDQU4IS5.js";
import {
  STAGE_ORDER,
  findStage,
  isStageName
} from "./chunk-chunk-RGY43N53.js";
import "./chunk-chunk-XNTI4R7L.js";
import "./chunk-chunk-MXHAXZZH.js";
import "./chunk-chunk-7U3TACCC.js";
import {
  readStageInputs
} from "./chunk-chunk-Q7E7TLEC.js";
import {
  stageFlags,
  writeActionOutputs
} from "./chunk-chunk-J7G6J27Q.js";
import {
  loadConfig,
  parseOverride
} from "./chunk-chunk-FZYHBISI.js";
import "./chunk-chunk-Q5KLLHKY.js";
import "./chunk-chunk-P2RBSKVU.js";
import "./chunk-chunk-BD2AABV4.js";
import "./chunk-chunk-EGNDYM6A.js";
import "./chunk-chunk-SSOYEDRJ.js";
import "./chunk-chunk-Q3LNTHG7.js";
import "./chunk-chunk-YOU5EUFK.js";
import "./chunk-chunk-PF54JKQR.js";
import {
  DeliveryError,
  ExitCode,
  errorMessage
} from "./chunk-chunk-JOF44I4G.js";
import "./chunk-chunk-YW753B3X.js";

// src/report/store.ts
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
var ReportStore = class _ReportStore {
  constructor(dir) {
    this.dir = dir;
  }
  dir;
  static forRoot(root) {
    return new _ReportStore(join(root, ".model-delivery"));
  }
  get reportsDir() {
    return join(this.dir, "reports");
  }
  save(report) {
    mkdirSync(this.reportsDir, { recursive: true });
    const file = join(this.reportsDir, `${report.stage}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}
`);
    return file;
  }
  load(stage) {
    const file = join(this.reportsDir, `${stage}.json`);
    if (!existsSync(file)) return void 0;
    return JSON.parse(readFileSync(file, "utf8"));
  }
  all() {
    if (!existsSync(this.reportsDir)) return [];
    return readdirSync(this.reportsDir).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(readFileSync(join(this.reportsDir, f), "utf8")));
  }
};

// src/cli/pipeline.ts
async function runPipeline(options) {
  const reports = [];
  const step = async (stage) => {
    if (!options.has(stage)) return void 0;
    const report = await options.run(stage);
    reports.push(report);
    return report;
  };
  let healthy = true;
  for (const stage of ["lint", "train", "build", "deploy"]) {
    const report = await step(stage);
    if (report && report.status !== "success") {
      healthy = false;
      break;
    }
  }
  const deploy = reports.find((r) => r.stage === "deploy");
  if (healthy && deploy?.outputs.canary === "true") {
    const gate = await step("gate");
    await step(gate?.status === "success" ? "promote" : "rollback");
  }
  await step("notify");
  return reports;
}
function decisiveReport(reports) {
  return reports.find((r) => r.status !== "success") ?? reports.at(-1);
}

// src/cli/run-stages.ts
async function runStages(options) {
  const { io, args, cwd, github, inputs, log, secrets } = options;
  const single = args.stage === "run" ? void 0 : await findStage(args.stage);
  const loaded = loadConfig({
    cwd,
    path: args.config ?? inputs.config,
    root: args.root,
    overrides: [...inputs.set, ...args.set].map(parseOverride),
    env: io.env
  });
  loaded.secrets.forEach((s) => secrets.add(s));
  const ctx = {
    config: loaded.config,
    root: loaded.root,
    configPath: loaded.path,
    github,
    env: io.env,
    inputs: readStageInputs(io.env),
    flags: stageFlags(args.flags, inputs),
    log,
    secrets,
    reports: ReportStore.forRoot(loaded.root)
  };
  const reports = single ? [await runOneStage(single, ctx)] : await runPipeline({
    has: isStageName,
    run: async (name) => runOneStage(await findStage(name), ctx)
  });
  const last = decisiveReport(reports);
  const result = single ? stageResult(last) : {
    stage: "run",
    status: last.status,
    reason: last.reason,
    message: last.message,
    details: {
      stages: reports.map(({ stage, status, reason, message }) => ({
        stage,
        status,
        reason,
        message
      }))
    }
  };
  return { result, exitCode: last.exitCode };
}
function stageResult(report) {
  const { stage, status, reason, message, details, threw, exitCode } = report;
  return { stage, status, reason, message, details, threw, exitCode };
}
function outcomeExitCode(outcome) {
  if (outcome.status === "success") return ExitCode.success;
  return outcome.exitCode ?? ExitCode.checkFailed;
}
async function runOneStage(stage, ctx) {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  let report;
  try {
    const outcome = await stage.run(ctx);
    report = returnedReport(stage.name, outcome, startedAt, Date.now() - started);
    ctx.log.info(
      `${outcome.status === "success" ? "\u2705" : "\u274C"} ${stage.name}: ${outcome.message ?? outcome.reason}`
    );
  } catch (e) {
    report = failedReport(stage.name, startedAt, e, Date.now() - started, ctx.log);
  }
  report = ctx.secrets.redactDeep(report);
  ctx.reports.save(report);
  await writeSummary({
    actions: ctx.github.actions,
    summaryFile: ctx.github.summaryFile,
    report,
    store: ctx.reports,
    order: STAGE_ORDER
  });
  if (ctx.github.actions) writeActionOutputs(report.outputs);
  return report;
}
function returnedReport(stage, outcome, startedAt, durationMs) {
  const { outputs, ...rest } = outcome;
  return {
    ...rest,
    stage,
    startedAt,
    outputs: outputs ?? {},
    durationMs,
    exitCode: outcomeExitCode(outcome)
  };
}
function failedReport(stage, startedAt, e, durationMs, log) {
  const known = e instanceof DeliveryError;
  const message = errorMessage(e);
  log.error(`${stage}: ${message}`, { title: `model-delivery ${stage}` });
  if (!known && e instanceof Error && e.stack) log.debug(e.stack);
  const exitCode = known ? e.exitCode : ExitCode.checkFailed;
  return {
    stage,
    startedAt,
    threw: true,
    status: exitCode === ExitCode.checkFailed ? "failure" : "error",
    reason: known ? e.reason : "unexpected_error",
    message,
    details: known ? e.details : {},
    outputs: {},
    durationMs,
    exitCode
  };
}
export {
  runStages
};
