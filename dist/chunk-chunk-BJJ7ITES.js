#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  createActionOctokit,
  parseRepository
} from "./chunk-chunk-OYSNFU43.js";
import {
  runUrl
} from "./chunk-chunk-7U3TACCC.js";
import {
  createDeployTarget
} from "./chunk-chunk-DCBSDARP.js";
import {
  STATUS_EMOJI,
  markdownTable
} from "./chunk-chunk-Q3LNTHG7.js";
import {
  errorMessage
} from "./chunk-chunk-JOF44I4G.js";

// src/stages/deploy-support.ts
import { join } from "node:path";

// src/github/deployments.ts
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

// src/github/ledger-payload.ts
function ledgerPayload(release, previous) {
  return {
    image: release.image,
    version: release.version,
    ...release.digest ? { digest: release.digest } : {},
    ...previous ? { previousImage: previous.image } : {}
  };
}
function payloadObject(payload) {
  let p = payload;
  if (typeof p === "string") {
    if (!p.trim().startsWith("{")) return void 0;
    try {
      p = JSON.parse(p);
    } catch {
      return void 0;
    }
  }
  return typeof p === "object" && p !== null ? p : void 0;
}
function readLedgerPayload(payload) {
  const p = payloadObject(payload);
  if (!p) return void 0;
  const { version, image, digest, previousImage } = p;
  if (typeof version !== "string" || typeof image !== "string") return void 0;
  return {
    version,
    image,
    ...typeof digest === "string" ? { digest } : {},
    ...typeof previousImage === "string" ? { previousImage } : {}
  };
}

// src/github/deployments.ts
function shortDescription(text) {
  return text.length <= 140 ? text : `${text.slice(0, 139)}\u2026`;
}
function deploymentRequest(release, previous, environment) {
  const payload = ledgerPayload(release, previous);
  return {
    ref: release.sha,
    environment,
    payload,
    auto_merge: false,
    // The pipeline's own checks have run; GitHub must not block on other contexts.
    required_contexts: [],
    production_environment: environment === "production",
    transient_environment: false,
    description: shortDescription(`model-delivery ${release.version} (${release.image})`)
  };
}
var ReleaseLedger = class {
  constructor(api, options) {
    this.api = api;
    this.options = options;
  }
  api;
  options;
  get where() {
    return { owner: this.options.owner, repo: this.options.repo };
  }
  /** Creates the deployment and its in_progress status; remembers it for the next calls. */
  async open(release, previous) {
    const id = await this.create(release, previous);
    await this.setStatus(id, "in_progress", `canary ${release.version} deploying`);
    const open = {
      deploymentId: id,
      environment: this.options.environment,
      release,
      createdAt: (/* @__PURE__ */ new Date()).toISOString()
    };
    this.remember(open);
    return open;
  }
  /** Closes the open deployment (from the state file, else the newest in_progress one on GitHub). */
  async close(state, description) {
    const open = this.recalled() ?? await this.findInProgress();
    if (!open) return void 0;
    await this.setStatus(open.deploymentId, state, description);
    this.forget();
    return open;
  }
  /** A rollback: the earlier release is live again, recorded as a new successful deployment of its commit. */
  async recordRollback(release, from) {
    const id = await this.create(release, from);
    await this.setStatus(id, "success", `rolled back to ${release.version}`);
    return id;
  }
  /** Successful releases of the environment, newest first, as recorded in payloads. */
  async successfulReleases(limit = 30) {
    const { data } = await this.api.listDeployments({
      ...this.where,
      environment: this.options.environment,
      per_page: limit
    });
    const releases = [];
    for (const d of data) {
      const { data: statuses } = await this.api.listDeploymentStatuses({
        ...this.where,
        deployment_id: d.id,
        per_page: 1
      });
      const state = statuses[0]?.state;
      if (state !== "success" && state !== "inactive") continue;
      const payload = readLedgerPayload(d.payload);
      if (!payload) continue;
      releases.push({
        deploymentId: d.id,
        sha: d.sha,
        version: payload.version,
        image: payload.image,
        ...payload.digest ? { digest: payload.digest } : {}
      });
    }
    return releases;
  }
  async create(release, previous) {
    const response = await this.api.createDeployment({
      ...this.where,
      ...deploymentRequest(release, previous, this.options.environment),
      // Not retried blindly: a retried POST could record the deployment twice.
      request: { retries: 0 }
    });
    if (response.status !== 201 || !("id" in response.data)) {
      throw new Error(
        `GitHub did not create the deployment (HTTP ${response.status}: ${"message" in response.data ? String(response.data.message) : "no id"})`
      );
    }
    return Number(response.data.id);
  }
  async setStatus(id, state, description) {
    await this.api.createDeploymentStatus({
      ...this.where,
      deployment_id: id,
      state,
      description: shortDescription(description),
      ...this.options.logUrl ? { log_url: this.options.logUrl } : {},
      ...this.options.environmentUrl ? { environment_url: this.options.environmentUrl } : {}
    });
  }
  async findInProgress() {
    const { data } = await this.api.listDeployments({
      ...this.where,
      environment: this.options.environment,
      per_page: 10
    });
    for (const d of data) {
      const { data: statuses } = await this.api.listDeploymentStatuses({
        ...this.where,
        deployment_id: d.id,
        per_page: 1
      });
      if (statuses[0]?.state !== "in_progress") continue;
      const payload = readLedgerPayload(d.payload);
      return {
        deploymentId: d.id,
        environment: this.options.environment,
        release: {
          sha: d.sha,
          version: payload?.version ?? d.sha.slice(0, 7),
          image: payload?.image ?? ""
        },
        createdAt: d.created_at
      };
    }
    return void 0;
  }
  recalled() {
    if (!existsSync(this.options.stateFile)) return void 0;
    const open = JSON.parse(readFileSync(this.options.stateFile, "utf8"));
    return open?.environment === this.options.environment ? open : void 0;
  }
  remember(open) {
    mkdirSync(dirname(this.options.stateFile), { recursive: true });
    writeFileSync(this.options.stateFile, `${JSON.stringify(open, null, 2)}
`);
  }
  forget() {
    writeFileSync(this.options.stateFile, "null\n");
  }
};

// src/stages/deploy-support.ts
function openLedger(ctx) {
  const { token, repository, apiUrl } = ctx.github;
  if (!token || !repository) return void 0;
  const octokit = createActionOctokit({ token, apiUrl });
  return new ReleaseLedger(octokit.rest.repos, {
    ...parseRepository(repository),
    environment: ctx.config.deploy.environment,
    logUrl: runUrl(ctx.github),
    environmentUrl: ctx.config.deploy.url,
    stateFile: join(ctx.root, ".model-delivery", "ledger.json")
  });
}
async function afterChange(ctx, action, write) {
  try {
    const deploymentId = await write();
    return { ok: true, action, deploymentId };
  } catch (e) {
    const error = errorMessage(e);
    ctx.log.warn(
      `GitHub Deployments ledger: could not ${action}: ${error}; the target was changed, the ledger is behind`,
      {
        title: "Ledger not updated"
      }
    );
    return { ok: false, action, error };
  }
}
async function withTarget(ctx, fn) {
  const target = await createDeployTarget(ctx);
  try {
    return await fn(target);
  } finally {
    await target.dispose?.();
  }
}
function statusSummary(status, ledger) {
  const rows = status.tracks.map((t) => [
    t.track,
    t.release?.version ?? "",
    t.release?.image ?? "",
    t.replicas ?? "",
    `${t.ready ? STATUS_EMOJI.success : STATUS_EMOJI.failure} ${t.ready ? "ready" : "not ready"}`
  ]);
  const parts = [
    rows.length ? markdownTable(["track", "version", "image", "replicas", "state"], rows) : "_nothing is deployed_"
  ];
  if (status.frontUrl) parts.push(`Front: ${status.frontUrl}`);
  if (status.forced) parts.push(`${STATUS_EMOJI.warning} **${status.forced}**`);
  for (const w of status.warnings ?? []) parts.push(`${STATUS_EMOJI.warning} ${w}`);
  if (ledger) {
    parts.push(
      ledger.ok ? `GitHub Deployments: ${ledger.action}${ledger.deploymentId ? ` (deployment ${ledger.deploymentId})` : ""}` : `${STATUS_EMOJI.warning} GitHub Deployments not updated (${ledger.action}): ${ledger.error}`
    );
  }
  return parts.join("\n\n");
}
function trackRelease(status, track) {
  return status.tracks.find((t) => t.track === track)?.release;
}

export {
  openLedger,
  afterChange,
  withTarget,
  statusSummary,
  trackRelease
};
