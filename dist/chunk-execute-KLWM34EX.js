#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  allStages,
  planStages
} from "./chunk-chunk-RGY43N53.js";
import {
  isVersionRequest
} from "./chunk-chunk-AVKO466L.js";
import {
  VERSION
} from "./chunk-chunk-G65RTGH3.js";
import {
  readGitHubContext
} from "./chunk-chunk-EZXP2GGB.js";
import "./chunk-chunk-7U3TACCC.js";
import {
  secretEnvValues
} from "./chunk-chunk-P442FGTM.js";
import {
  debug,
  error,
  group,
  info,
  readActionInputs,
  setSecret,
  warning,
  writeActionOutputs
} from "./chunk-chunk-J7G6J27Q.js";
import "./chunk-chunk-P2RBSKVU.js";
import {
  DeliveryError,
  ExitCode,
  UsageError,
  errorMessage
} from "./chunk-chunk-JOF44I4G.js";
import "./chunk-chunk-YW753B3X.js";

// src/cli/execute.ts
import { resolve } from "node:path";

// src/core/log.ts
function createLogger(options) {
  const { secrets } = options;
  if (options.actions) {
    secrets.onAdd((value) => setSecret(value));
    return {
      info: (m) => info(secrets.redact(m)),
      warn: (m, a) => warning(secrets.redact(m), a),
      error: (m, a) => error(secrets.redact(m), a),
      debug: (m) => debug(secrets.redact(m)),
      group: (name, fn) => group(secrets.redact(name), fn)
    };
  }
  const write = (line) => options.stream.write(`${secrets.redact(line)}
`);
  const where = (a) => a?.file ? ` (${a.file}${a.startLine ? `:${a.startLine}` : ""}${a.startColumn ? `:${a.startColumn}` : ""})` : "";
  return {
    info: (m) => write(m),
    warn: (m, a) => write(`warning: ${m}${where(a)}`),
    error: (m, a) => write(`error: ${m}${where(a)}`),
    debug: (m) => {
      if (options.verbose) write(`debug: ${m}`);
    },
    group: async (name, fn) => {
      write(`\u25B6 ${name}`);
      return fn();
    }
  };
}

// src/core/secrets.ts
var SecretRegistry = class {
  #values = /* @__PURE__ */ new Set();
  #listeners = [];
  /** Registers `value` and every form a server may echo it in (see secretForms). */
  add(value) {
    if (!value) return;
    for (const form of secretForms(value)) {
      if (form.length < 4 || this.#values.has(form)) continue;
      this.#values.add(form);
      for (const listener of this.#listeners) listener(form);
    }
  }
  /** Called once per secret, including those added before the listener. */
  onAdd(listener) {
    this.#listeners.push(listener);
    for (const value of this.#values) listener(value);
  }
  redact(text) {
    let out = text;
    for (const value of [...this.#values].sort((a, b) => b.length - a.length)) {
      out = out.split(value).join("***");
    }
    return out;
  }
  /** Redacts every string inside a JSON-like value. */
  redactDeep(value) {
    return JSON.parse(this.redact(JSON.stringify(value)));
  }
};
function secretForms(value) {
  const parts = /* @__PURE__ */ new Set([value]);
  const pair = /^([^:\s/]+):(\S+)$/.exec(value);
  if (pair && !/^https?$/i.test(pair[1])) parts.add(pair[2]);
  const url = parseHttpUrl(value);
  if (url && url.pathname.length >= 8) {
    parts.add(`${url.pathname}${url.search}`);
    parts.add(url.pathname.slice(1));
    if (url.search.length > 1) parts.add(url.search.slice(1));
  }
  if (url?.password) parts.add(decodeURIComponent(url.password));
  const forms = /* @__PURE__ */ new Set();
  for (const part of parts) {
    const bytes = Buffer.from(part, "utf8");
    forms.add(part);
    forms.add(encodeURIComponent(part));
    forms.add(bytes.toString("base64"));
    forms.add(bytes.toString("base64").replace(/=+$/, ""));
    forms.add(bytes.toString("base64url"));
  }
  return [...forms];
}
function parseHttpUrl(value) {
  if (!/^https?:\/\//i.test(value.trim())) return void 0;
  try {
    return new URL(value.trim());
  } catch {
    return void 0;
  }
}

// src/cli/args.ts
import { parseArgs } from "node:util";
function parseCliArgs(argv) {
  const base = { set: [], json: false, verbose: false, flags: {} };
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help")
    return { ...base, command: "help" };
  if (isVersionRequest(argv)) return { ...base, command: "version" };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: "string", short: "c" },
        root: { type: "string" },
        set: { type: "string", multiple: true },
        json: { type: "boolean" },
        verbose: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "string" },
        to: { type: "string" },
        force: { type: "boolean" },
        reason: { type: "string" },
        image: { type: "string" }
      }
    });
  } catch (e) {
    throw new UsageError(`${e.message}; see model-delivery --help`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { ...base, command: "help" };
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? "which stage? see model-delivery --help" : `one stage at a time, got: ${positionals.join(" ")}`
    );
  }
  return {
    command: "stage",
    stage: positionals[0],
    config: values.config,
    root: values.root,
    set: values.set ?? [],
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    flags: {
      version: values.version,
      to: values.to,
      force: values.force,
      ...values.image !== void 0 ? { image: values.image.trim() } : {},
      ...values.reason !== void 0 ? { reason: values.reason.trim() } : {}
    }
  };
}
function helpText(stages) {
  const width = Math.max(...stages.map((s) => s.name.length), 4) + 2;
  return `model-delivery \u2014 CI/CD for machine-learning models

Usage:
  model-delivery <stage> [--config <path>] [--set path=value]... [--json]
  model-delivery --help | --version

Stages:
${stages.map((s) => `  ${s.name.padEnd(width)}${s.description}`).join("\n")}
  ${"run".padEnd(width)}the release: lint, train, build, deploy, gate, then promote or rollback; notify always
  ${"plan".padEnd(width)}print which stages the action runs for this event (input "stages")

Options:
  -c, --config <path>   config file (default: .github/model-delivery.yml)
  --root <dir>          repository root (default: the parent of .github/, else the git
                        top-level or the working directory)
  --set path=value      override a config value; repeatable (e.g. --set train.timeout=5m)
  --json                print one JSON result object on stdout; logs go to stderr
  --version <v>         release version for deploy (default: the git short sha)
  --image <ref>         deploy: the image to ship (repository@sha256:\u2026 or :tag), when
                        the build stage did not run in this workspace; wins over its output
  --to <ref>            rollback target
  --force               deploy: break a stale lock; promote: promote without a
                        passing gate (needs --reason, recorded in reports and GitHub)
  --reason <text>       why --force promotes without a passing gate
  --verbose             debug logs

Exit codes: 0 success, 1 a check failed, 2 usage or config error, 3 environment error.
`;
}

// src/cli/execute.ts
async function executeCli(io) {
  const secrets = new SecretRegistry();
  for (const value of secretEnvValues(io.env)) secrets.add(value);
  let args;
  const json = io.argv.includes("--json");
  const print = (result) => {
    if (json) io.stdout.write(`${JSON.stringify(secrets.redactDeep(result))}
`);
  };
  try {
    args = parseCliArgs(io.argv);
    if (args.command === "help") {
      io.stdout.write(helpText(await allStages()));
      return ExitCode.success;
    }
    if (args.command === "version") {
      io.stdout.write(`${VERSION}
`);
      return ExitCode.success;
    }
    const github = readGitHubContext(io.env);
    const inputs = readActionInputs();
    const log = createLogger({
      actions: github.actions,
      secrets,
      stream: args.json ? io.stderr : io.stdout,
      verbose: args.verbose
    });
    if (args.stage === "plan") {
      const stages = planStages(inputs.stages, {
        ...github,
        releaseBranches: inputs.releaseBranches
      });
      log.info(`stages: ${stages.join(", ")}`);
      writeActionOutputs({ stages: stages.join(",") });
      print({ stage: "plan", status: "success", reason: "ok", details: { stages } });
      return ExitCode.success;
    }
    const { runStages } = await import("./chunk-run-stages-CXQAEHPQ.js");
    const { result, exitCode } = await runStages({
      io,
      args,
      cwd: inputs.workingDirectory ? resolve(io.cwd, inputs.workingDirectory) : io.cwd,
      github,
      inputs,
      log,
      secrets
    });
    print(result);
    return exitCode;
  } catch (e) {
    const code = e instanceof DeliveryError ? e.exitCode : ExitCode.checkFailed;
    const message = secrets.redact(errorMessage(e));
    io.stderr.write(`model-delivery: ${message}
`);
    print({
      stage: args?.stage ?? "cli",
      threw: true,
      status: code === ExitCode.checkFailed ? "failure" : "error",
      reason: e instanceof DeliveryError ? e.reason : "unexpected_error",
      message,
      details: e instanceof DeliveryError ? e.details : {},
      exitCode: code
    });
    return code;
  }
}
export {
  executeCli
};
