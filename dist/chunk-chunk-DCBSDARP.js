#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  canaryIdentity,
  checkEvidence,
  createLocalTarget,
  sameRelease
} from "./chunk-chunk-J2GCOEOM.js";
import {
  validateManifests
} from "./chunk-chunk-LVULIS6K.js";
import {
  require_dist
} from "./chunk-chunk-FZYHBISI.js";
import {
  initialShare
} from "./chunk-chunk-Q5KLLHKY.js";
import {
  displayCommand,
  execProgram
} from "./chunk-chunk-VV2JPDBC.js";
import {
  formatDuration
} from "./chunk-chunk-PF54JKQR.js";
import {
  CheckFailedError,
  ConfigError,
  EnvironmentError,
  errorMessage
} from "./chunk-chunk-JOF44I4G.js";
import {
  __toESM
} from "./chunk-chunk-YW753B3X.js";

// src/targets/kubectl-args.ts
var FIELD_MANAGER = "model-delivery";
function connectionArgs(c) {
  return [
    ...c.kubeconfig ? [`--kubeconfig=${c.kubeconfig}`] : [],
    ...c.context ? [`--context=${c.context}`] : [],
    `--namespace=${c.namespace}`
  ];
}
function timeoutFlag(timeoutMs) {
  return `--timeout=${Math.max(1, Math.ceil(timeoutMs / 1e3))}s`;
}
function getDeploymentsArgs(names) {
  if (names.length === 0) throw new RangeError("getDeploymentsArgs needs at least one name");
  return [
    "get",
    "deployment",
    ...names,
    "--output=json",
    "--ignore-not-found",
    "--show-managed-fields=true"
  ];
}
function applyArgs(options = {}) {
  return [
    "apply",
    "--server-side",
    `--field-manager=${FIELD_MANAGER}`,
    "--force-conflicts",
    "--validate=false",
    ...options.dryRun ? ["--dry-run=server"] : [],
    "--filename=-"
  ];
}
function kustomizeArgs(dir) {
  return ["kustomize", dir];
}
function getObjectsArgs() {
  return ["get", "--filename=-", "--output=json", "--ignore-not-found"];
}
function deleteObjectsArgs(timeoutMs) {
  return ["delete", "--filename=-", "--ignore-not-found", "--wait=true", timeoutFlag(timeoutMs)];
}
function listPodsArgs(selector) {
  const terms = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
  if (terms.length === 0) throw new RangeError("listPodsArgs needs a selector");
  return ["get", "pods", `--selector=${terms.join(",")}`, "--output=json"];
}
function rawGetArgs(path) {
  if (!path.startsWith("/api/")) throw new RangeError(`not an API path: ${path}`);
  return ["get", `--raw=${path}`];
}
function rolloutStatusArgs(name, timeoutMs) {
  return ["rollout", "status", `deployment/${name}`, "--watch=true", timeoutFlag(timeoutMs)];
}
function patchArgs(name, patch) {
  return [
    "patch",
    "deployment",
    name,
    "--type=strategic",
    `--field-manager=${FIELD_MANAGER}`,
    `--patch=${JSON.stringify(patch)}`
  ];
}
function jsonPatchArgs(resource, name, ops, options = {}) {
  if (ops.length === 0) throw new RangeError("jsonPatchArgs needs at least one operation");
  return [
    "patch",
    resource,
    name,
    "--type=json",
    `--field-manager=${FIELD_MANAGER}`,
    `--patch=${JSON.stringify(ops)}`,
    ...options.dryRun ? ["--dry-run=server"] : []
  ];
}
function annotateArgs(name, change) {
  const set = Object.entries(change.set ?? {}).map(([k, v]) => `${k}=${v}`);
  const remove = (change.remove ?? []).map((k) => `${k}-`);
  if (set.length + remove.length === 0) throw new RangeError("annotateArgs needs a change");
  return [
    "annotate",
    "deployment",
    name,
    ...set,
    ...remove,
    "--overwrite",
    `--field-manager=${FIELD_MANAGER}`,
    ...change.resourceVersion ? [`--resource-version=${change.resourceVersion}`] : []
  ];
}
function rolloutUndoArgs(name) {
  return ["rollout", "undo", `deployment/${name}`];
}
function deleteDeploymentsArgs(names, timeoutMs) {
  if (names.length === 0) throw new RangeError("deleteDeploymentsArgs needs at least one name");
  return [
    "delete",
    "deployment",
    ...names,
    "--ignore-not-found",
    "--wait=true",
    timeoutFlag(timeoutMs)
  ];
}

// src/targets/kubectl.ts
var KubectlError = class extends EnvironmentError {
  constructor(message, reason, kubectlMessage, deployment) {
    super(message, reason, { kubectl: kubectlMessage });
    this.kubectlMessage = kubectlMessage;
    this.deployment = deployment;
  }
  kubectlMessage;
  deployment;
};
var GRACE_MS = 15e3;
function createKubectl(options) {
  const { log } = options;
  async function execKubectl(args, call) {
    const argv = [...connectionArgs(options.connection), ...args];
    const shown = displayCommand(["kubectl", ...args]);
    log.debug(`$ ${shown}`);
    const result = await execProgram({
      argv: [options.program, ...argv],
      cwd: process.cwd(),
      env: options.env,
      extendEnv: false,
      input: call.input,
      timeoutMs: call.timeoutMs,
      captureStdout: true,
      captureStderr: true,
      display: shown,
      timeoutHint: "check that the cluster is reachable, or raise deploy.kubernetes.requestTimeout",
      notFound: () => `kubectl not found (deploy.kubernetes.kubectl: ${options.program}); install kubectl or set the path`,
      reasons: {
        timeout: "kubectl_timeout",
        notFound: "kubectl_not_found",
        failedToStart: "kubectl_failed_to_start"
      }
    });
    if (result.exitCode !== 0) {
      const said = kubectlSaid(String(result.stderr)) || kubectlSaid(String(result.stdout));
      throw new KubectlError(`\`${shown}\` failed: ${said}`, reasonOf(said), said);
    }
    return String(result.stdout);
  }
  const quick = { timeoutMs: options.requestTimeoutMs };
  return {
    async getDeployments(names) {
      const out = (await execKubectl(getDeploymentsArgs(names), quick)).trim();
      if (!out) return [];
      const parsed = JSON.parse(out);
      return "items" in parsed ? parsed.items : [parsed];
    },
    async apply(objects, applyOptions) {
      await execKubectl(applyArgs(applyOptions), { ...quick, input: listOf(objects) });
    },
    async kustomize(dir) {
      return execKubectl(kustomizeArgs(dir), quick);
    },
    async getObjects(objects) {
      if (objects.length === 0) return [];
      const out = (await execKubectl(getObjectsArgs(), { ...quick, input: listOf(objects) })).trim();
      if (!out) return [];
      const parsed = JSON.parse(out);
      return parsed.kind === "List" && Array.isArray(parsed.items) ? parsed.items : [parsed];
    },
    async listPods(selector) {
      const out = await execKubectl(listPodsArgs(selector), quick);
      return JSON.parse(out).items ?? [];
    },
    async getRaw(path, timeoutMs) {
      return execKubectl(rawGetArgs(path), { timeoutMs: timeoutMs ?? options.requestTimeoutMs });
    },
    async deleteObjects(objects) {
      if (objects.length === 0) return;
      await execKubectl(deleteObjectsArgs(options.requestTimeoutMs), {
        timeoutMs: options.requestTimeoutMs + GRACE_MS,
        input: listOf(objects)
      });
    },
    async rolloutStatus(name, timeoutMs) {
      try {
        await execKubectl(rolloutStatusArgs(name, timeoutMs), { timeoutMs: timeoutMs + GRACE_MS });
      } catch (e) {
        if (e instanceof KubectlError) {
          throw new KubectlError(
            `deployment ${name} did not roll out: ${e.kubectlMessage}`,
            "rollout_failed",
            e.kubectlMessage,
            name
          );
        }
        throw e;
      }
    },
    async patch(name, patch) {
      await execKubectl(patchArgs(name, patch), quick);
    },
    async patchJson(resource, name, ops, patchOptions) {
      await execKubectl(jsonPatchArgs(resource, name, ops, patchOptions), quick);
    },
    async annotate(name, change) {
      await execKubectl(annotateArgs(name, change), quick);
    },
    async rolloutUndo(name) {
      await execKubectl(rolloutUndoArgs(name), quick);
    },
    async deleteDeployments(names) {
      await execKubectl(deleteDeploymentsArgs(names, options.requestTimeoutMs), {
        timeoutMs: options.requestTimeoutMs + GRACE_MS
      });
    }
  };
}
function listOf(objects) {
  return JSON.stringify({ apiVersion: "v1", kind: "List", items: objects });
}
function kubectlSaid(output) {
  return output.split("\n").map((l) => l.trim()).filter((l) => l && !/^[IWEF]\d{4} \d\d:\d\d:\d\d/.test(l)).join("; ");
}
function reasonOf(message) {
  if (/\(Conflict\)/.test(message)) return "conflict";
  if (/\(NotFound\)|not found/.test(message)) return "not_found";
  if (/\(Forbidden\)|forbidden/i.test(message)) return "forbidden";
  if (/\(Invalid\)| is invalid/.test(message)) return "invalid";
  if (/refused|Unable to connect|no such host|i\/o timeout/.test(message)) return "unreachable";
  if (/exceeded its progress deadline/.test(message)) return "progress_deadline_exceeded";
  if (/timed out waiting/.test(message)) return "rollout_timeout";
  return "kubectl_failed";
}

// src/targets/kubernetes-manifests.ts
var ANNOTATION = {
  /** The release stable (or a canary/baseline) runs: JSON {version, sha, image, digest, time}. */
  release: "model-delivery.dev/release",
  /** On stable: the release before the current one, for rollback without --to. */
  previous: "model-delivery.dev/previous-release",
  /** On stable while a canary is out: JSON {holder, since}. */
  lock: "model-delivery.dev/lock",
  /**
   * On stable after a manifest promote (or a rollback that used it): the spec it ran
   * before, as JSON, so rollback restores all of it (env, resources…), not only the image.
   */
  previousSpec: "model-delivery.dev/previous-spec"
};
var TRACK_LABEL = "track";
var VERSION_LABEL = "version";
function trackDeploymentName(stable, track) {
  return track === "stable" ? stable : `${stable}-${track}`;
}
function findContainer(deployment, name) {
  const containers = deployment.spec.template.spec.containers;
  const names = containers.map((c) => c.name).join(", ");
  if (name) {
    const found = containers.find((c) => c.name === name);
    if (!found) {
      throw new ConfigError([
        `deploy.kubernetes.container: deployment ${deployment.metadata.name} has no container "${name}"; it has: ${names}`
      ]);
    }
    return found;
  }
  if (containers.length !== 1) {
    throw new ConfigError([
      `deploy.kubernetes.container: deployment ${deployment.metadata.name} has ${containers.length} containers (${names}); name the model's one`
    ]);
  }
  return containers[0];
}
function imageForRelease(release) {
  if (release.image.includes("@") || !release.digest) return release.image;
  const repository = release.image.replace(/:[^/:]+$/, "");
  return `${repository}@${release.digest}`;
}
function labelValue(text) {
  return text.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}
function cloneForTrack(options) {
  const { stable, track } = options;
  const spec = structuredClone(stable.spec);
  delete spec.paused;
  const template = spec.template;
  const templateLabels = { ...template.metadata?.labels ?? {}, [TRACK_LABEL]: track };
  if (VERSION_LABEL in templateLabels && track === "canary") {
    templateLabels[VERSION_LABEL] = labelValue(options.release.version);
  }
  const templateMeta = {
    ...template.metadata ?? {},
    labels: templateLabels
  };
  delete templateMeta.creationTimestamp;
  const containers = template.spec.containers.map(
    (c) => c.name === options.container ? { ...c, image: options.image } : c
  );
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: trackDeploymentName(stable.metadata.name, track),
      ...stable.metadata.namespace ? { namespace: stable.metadata.namespace } : {},
      labels: { ...stable.metadata.labels ?? {}, [TRACK_LABEL]: track },
      annotations: {
        ...userAnnotations(stable.metadata.annotations),
        [ANNOTATION.release]: JSON.stringify(options.release)
      }
    },
    spec: {
      ...spec,
      replicas: options.replicas,
      selector: {
        ...spec.selector,
        matchLabels: { ...spec.selector.matchLabels ?? {}, [TRACK_LABEL]: track }
      },
      template: { ...template, metadata: templateMeta, spec: { ...template.spec, containers } }
    }
  };
}
function userAnnotations(annotations = {}) {
  return Object.fromEntries(
    Object.entries(annotations).filter(
      ([k]) => !/^(kubectl\.kubernetes\.io|deployment\.kubernetes\.io|model-delivery\.dev)\//.test(k)
    )
  );
}
function selectorSeparatesTracks(stable) {
  return stable.spec.selector.matchLabels?.[TRACK_LABEL] === "stable";
}
function imagePatch(stable, container, image, version) {
  const hasVersion = VERSION_LABEL in (stable.spec.template.metadata?.labels ?? {});
  return {
    spec: {
      template: {
        ...hasVersion && version ? { metadata: { labels: { [VERSION_LABEL]: labelValue(version) } } } : {},
        spec: { containers: [{ name: container, image }] }
      }
    }
  };
}
function releaseAnnotation(release, time) {
  const { version, sha, image, digest } = release;
  return JSON.stringify({
    version,
    sha,
    image,
    ...digest ? { digest } : {},
    time: time.toISOString()
  });
}
function readRelease(deployment, key = ANNOTATION.release) {
  const parsed = parseJson(deployment.metadata.annotations?.[key]);
  if (!parsed || typeof parsed.version !== "string" || typeof parsed.image !== "string")
    return void 0;
  return {
    version: parsed.version,
    sha: typeof parsed.sha === "string" ? parsed.sha : "",
    image: parsed.image,
    ...typeof parsed.digest === "string" ? { digest: parsed.digest } : {},
    ...typeof parsed.time === "string" ? { time: parsed.time } : {}
  };
}
function currentRelease(deployment, container) {
  const image = findContainer(deployment, container).image;
  const recorded = readRelease(deployment);
  if (recorded && imageForRelease(recorded) === image) return recorded;
  const label = deployment.spec.template.metadata?.labels?.[VERSION_LABEL];
  const tag = image.includes("@") ? image.split("@")[1] : /:([^/:]+)$/.exec(image)?.[1];
  return { version: label ?? tag ?? image, sha: "", image };
}
function readLock(deployment) {
  const parsed = parseJson(deployment.metadata.annotations?.[ANNOTATION.lock]);
  if (!parsed || typeof parsed.holder !== "string" || typeof parsed.since !== "string")
    return void 0;
  return { holder: parsed.holder, since: parsed.since };
}
function lockAnnotation(lock) {
  return JSON.stringify(lock);
}
function lockIsStale(lock, now, timeoutMs) {
  const since = Date.parse(lock.since);
  return !Number.isFinite(since) || now.getTime() - since > timeoutMs;
}
function isRolledOut(d) {
  const s = d.status ?? {};
  const replicas = d.spec.replicas ?? 1;
  return (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && (s.updatedReplicas ?? 0) >= replicas && (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) && (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0);
}
function conditionMessages(d) {
  return (d.status?.conditions ?? []).filter((c) => c.status !== "True" || c.reason === "ProgressDeadlineExceeded").map((c) => `${c.type}: ${c.reason ?? ""}${c.message ? ` (${c.message})` : ""}`);
}
function parseJson(text) {
  if (!text) return void 0;
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : void 0;
  } catch {
    return void 0;
  }
}

// src/targets/kubernetes-release-manifests.ts
import { createHash } from "node:crypto";
var TEMPLATE_ANNOTATION = "model-delivery.dev/template";
var APPLY_ORDER = ["ServiceAccount", "Secret", "ConfigMap", "Role", "RoleBinding", "Service"];
var LAST = ["HorizontalPodAutoscaler", "PodDisruptionBudget"];
var CLUSTER_SCOPED = /* @__PURE__ */ new Set(["Namespace", "ClusterRole", "ClusterRoleBinding"]);
function rank(kind) {
  const first = APPLY_ORDER.indexOf(kind);
  if (first >= 0) return first;
  const last = LAST.indexOf(kind);
  return last >= 0 ? APPLY_ORDER.length + 1 + last : APPLY_ORDER.length;
}
function selectReleaseObjects(objects, options) {
  const problems = [];
  const where = `deploy.kubernetes.manifests (${options.sources.join(", ")})`;
  const shipped = objects.filter((o) => o.kind !== "Kustomization");
  for (const o of shipped) {
    if (CLUSTER_SCOPED.has(o.kind)) {
      problems.push(
        `${o.file}:${o.line}: ${o.kind} ${o.name} is cluster-scoped; model-delivery applies only objects in namespace ${options.namespace}: apply it separately, or leave it out of deploy.kubernetes.manifests`
      );
    }
    const ns = o.body.metadata?.namespace;
    if (typeof ns === "string" && ns !== options.namespace) {
      problems.push(
        `${o.file}:${o.line}: ${o.kind} ${o.name} is in namespace ${ns}, but deploy.kubernetes.namespace is ${options.namespace}; make them the same`
      );
    }
  }
  const models = shipped.filter((o) => o.kind === "Deployment" && o.name === options.deployment);
  const model = models[0];
  if (!model) {
    const found = shipped.filter((o) => o.kind === "Deployment");
    problems.push(
      `${where}: no Deployment named ${options.deployment} (deploy.kubernetes.deployment); ${found.length ? `found: ${found.map((o) => `${o.name} in ${o.file}`).join(", ")}` : "the manifests hold no Deployment"}`
    );
  } else if (models.length > 1) {
    problems.push(
      `${where}: Deployment ${options.deployment} is defined ${models.length} times (${models.map((o) => o.file).join(", ")}); keep one`
    );
  } else {
    problems.push(...containerProblems(model, options.container));
  }
  if (problems.length > 0 || !model) throw new ConfigError(problems);
  const others = shipped.filter((o) => o !== model).map((o, i) => ({ o, i })).sort((a, b) => rank(a.o.kind) - rank(b.o.kind) || a.i - b.i).map(({ o }) => o);
  return { model: { deployment: model.body, file: model.file }, others };
}
function containerProblems(model, name) {
  const d = model.body;
  const containers = d.spec?.template?.spec?.containers ?? [];
  const names = containers.map((c) => c.name).join(", ");
  const at = `${model.file}:${model.line}: Deployment ${model.name}`;
  if (name && !containers.some((c) => c.name === name))
    return [
      `${at} has no container "${name}" (deploy.kubernetes.container); it has: ${names || "none"}`
    ];
  if (!name && containers.length !== 1)
    return [
      `${at} has ${containers.length} containers (${names}); name the model's one in deploy.kubernetes.container`
    ];
  return [];
}
function canaryFromManifest(manifests, render) {
  const canary = cloneForTrack({
    stable: manifests.model.deployment,
    track: "canary",
    container: render.container,
    image: render.image,
    replicas: render.replicas,
    release: render.release
  });
  canary.metadata.annotations = {
    ...canary.metadata.annotations,
    [TEMPLATE_ANNOTATION]: podSpecDigest(canary)
  };
  return canary;
}
function stableFromManifest(manifests, render) {
  const stable = structuredClone(manifests.model.deployment);
  const template = stable.spec.template;
  template.spec.containers = template.spec.containers.map(
    (c) => c.name === render.container ? { ...c, image: render.image } : c
  );
  const labels = template.metadata?.labels;
  if (labels && VERSION_LABEL in labels) labels[VERSION_LABEL] = labelValue(render.release.version);
  const annotations = Object.fromEntries(
    Object.entries(stable.metadata.annotations ?? {}).filter(
      ([k]) => !k.startsWith("model-delivery.dev/")
    )
  );
  return {
    ...stable,
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { ...stable.metadata, annotations }
  };
}
function podSpecDigest(d) {
  return `sha256:${createHash("sha256").update(stableJson(d.spec.template.spec)).digest("hex")}`;
}
function stableJson(value) {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== void 0).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
function objectsForApply(objects, namespace) {
  return objects.map((o) => {
    const body = structuredClone(o.body);
    body.metadata = { ...body.metadata, namespace };
    return body;
  });
}
function checkPromotedMatchesCanary(canary, promoted) {
  const recorded = canary.metadata.annotations?.[TEMPLATE_ANNOTATION];
  if (!recorded)
    return [
      `canary ${canary.metadata.name} was deployed without deploy.kubernetes.manifests, so its pod spec is not the manifests'; run deploy again`
    ];
  if (recorded !== podSpecDigest(promoted))
    return [
      `the manifests render a different pod spec than canary ${canary.metadata.name} was deployed with (${recorded}); the gate judged that one, so deploy again to promote these manifests`
    ];
  return [];
}

// src/targets/kubernetes-apply.ts
async function planDeploy(input) {
  const { stable, container, replicas } = input;
  const time = input.release.time;
  const stableRelease = currentRelease(stable, container);
  const baseline = cloneForTrack({
    stable,
    track: "baseline",
    container,
    image: findContainer(stable, container).image,
    replicas,
    release: { ...stableRelease, ...time ? { time } : {} }
  });
  const track = { container, image: input.image, release: input.release, replicas };
  if (!input.manifests) {
    return { canary: cloneForTrack({ stable, track: "canary", ...track }), baseline, create: [] };
  }
  const others = objectsForApply(input.manifests.others, input.namespace);
  const existing = await input.kubectl.getObjects(others);
  const exists = new Set(existing.map(objectKey));
  return {
    canary: canaryFromManifest(input.manifests, track),
    baseline,
    create: others.filter((o) => !exists.has(objectKey(o)))
  };
}
var objectKey = (o) => `${o.kind ?? ""}/${o.metadata.name}`;
var OWN_MANAGERS = /* @__PURE__ */ new Set([FIELD_MANAGER, "kube-controller-manager"]);
function driftReport(stable) {
  const fields = stable.metadata.managedFields ?? [];
  const ours = fields.filter((f) => f.manager === FIELD_MANAGER).map((f) => Date.parse(f.time ?? "")).filter(Number.isFinite);
  const since = ours.length ? Math.max(...ours) : void 0;
  return fields.filter(
    (f) => f.operation === "Update" && !OWN_MANAGERS.has(f.manager ?? "") && f.fieldsV1?.["f:spec"] !== void 0 && (since === void 0 || Date.parse(f.time ?? "") > since)
  ).map(
    (f) => `${f.manager ?? "an unnamed manager"} changed the spec of ${stable.metadata.name} at ${f.time ?? "an unknown time"}${since === void 0 ? "" : ", after model-delivery last applied it"}; promote applies the manifests and replaces that change (commit it to the manifests to keep it)`
  );
}
async function applyPromotedManifests(input) {
  const image = findContainer(input.canary, input.container).image;
  const promoted = stableFromManifest(input.manifests, {
    container: input.container,
    image,
    release: input.release
  });
  const mismatch = checkPromotedMatchesCanary(input.canary, promoted);
  if (mismatch.length > 0) throw new CheckFailedError(mismatch.join("; "), "manifests_changed");
  promoted.metadata.namespace = input.namespace;
  promoted.metadata.annotations = { ...promoted.metadata.annotations, ...input.annotations };
  const others = objectsForApply(input.manifests.others, input.namespace);
  if (others.length > 0) {
    input.log.info(`applying ${others.length} other object(s) of the manifests before stable`);
    await input.kubectl.apply(others);
  }
  await input.kubectl.apply([promoted]);
}
function restorable(stable) {
  const { name, namespace, labels, annotations } = stable.metadata;
  const kept = Object.fromEntries(
    Object.entries(annotations ?? {}).filter(
      ([k]) => !/^(kubectl\.kubernetes\.io|deployment\.kubernetes\.io)\//.test(k)
    )
  );
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name,
      ...namespace ? { namespace } : {},
      ...labels ? { labels } : {},
      annotations: kept
    },
    spec: structuredClone(stable.spec)
  };
}

// src/targets/kubernetes-pod-metrics.ts
function kubernetesPodMetrics(options) {
  const { kubectl, namespace } = options;
  const refused = (e, what) => e instanceof KubectlError && e.reason === "forbidden" ? new EnvironmentError(
    `gate.source scrape on Kubernetes reads each pod's /metrics through the API server's pod proxy, and the cluster refused to ${what}: ${e.kubectlMessage}. Grant list on pods and get on pods/proxy in namespace ${namespace} (see k8s/rbac/role.yaml), or use gate.source prometheus`,
    "forbidden"
  ) : e;
  async function metricsPaths(track) {
    const [deployment] = await kubectl.getDeployments([options.deployments[track]]);
    if (!deployment) return [];
    const template = deployment.spec.template;
    const annotations = template.metadata?.annotations ?? {};
    const containerPort = template.spec.containers[0]?.ports?.[0]?.containerPort;
    const port = annotations["prometheus.io/port"] ?? (containerPort ? String(containerPort) : "");
    const path = annotations["prometheus.io/path"] ?? "/metrics";
    const pods = await kubectl.listPods(deployment.spec.selector.matchLabels ?? {}).catch((e) => {
      throw refused(e, "list pods");
    });
    return pods.filter(isReady).map(
      (p) => `/api/v1/namespaces/${namespace}/pods/${p.metadata.name}${port ? `:${port}` : ""}/proxy${path.startsWith("/") ? path : `/${path}`}`
    );
  }
  async function fetchText(path, timeoutMs) {
    return kubectl.getRaw(path, timeoutMs).catch((e) => {
      throw refused(e, "get pods/proxy");
    });
  }
  return {
    metricsPaths,
    fetchText,
    async check() {
      for (const track of ["canary", "baseline"]) {
        const [first] = await metricsPaths(track);
        if (first) await fetchText(first, 1e4);
      }
    }
  };
}
function isReady(pod) {
  const status = pod.status;
  return !pod.metadata.deletionTimestamp && status?.phase === "Running" && !!status.conditions?.some((c) => c.type === "Ready" && c.status === "True");
}

// src/targets/kubernetes-journal.ts
var JOURNAL_ANNOTATION = {
  /** On stable while promote, rollback or abort runs: JSON {operation, version, holder, since}. */
  operation: "model-delivery.dev/operation",
  /** On the canary: the gate's verdict (GateRecord JSON). */
  gate: "model-delivery.dev/gate-verdict"
};
function operationAnnotation(record) {
  return JSON.stringify(record);
}
function readOperation(stable) {
  const parsed = parseJson(stable.metadata.annotations?.[JOURNAL_ANNOTATION.operation]);
  const op = parsed?.operation;
  if (op !== "promote" && op !== "rollback" && op !== "abort") return void 0;
  return {
    operation: op,
    version: String(parsed?.version ?? ""),
    holder: String(parsed?.holder ?? ""),
    since: String(parsed?.since ?? "")
  };
}
function canaryOf(canary, runs) {
  const release = readRelease(canary);
  if (!release?.time || imageForRelease(release) !== runs) return void 0;
  return canaryIdentity(release, release.time);
}
function readGate(canary) {
  const parsed = parseJson(canary.metadata.annotations?.[JOURNAL_ANNOTATION.gate]);
  if (!parsed) return void 0;
  const verdict = parsed.verdict;
  const identity = parsed.canary;
  if (verdict !== "pass" && verdict !== "fail" && verdict !== "inconclusive") return void 0;
  if (typeof identity?.version !== "string" || typeof identity.deployedAt !== "string")
    return void 0;
  return {
    verdict,
    reason: String(parsed.reason ?? ""),
    at: String(parsed.at ?? ""),
    canary: {
      version: identity.version,
      image: String(identity.image ?? ""),
      ...typeof identity.digest === "string" ? { digest: identity.digest } : {},
      deployedAt: identity.deployedAt
    }
  };
}
function nextPrevious(from, to, recorded) {
  return sameRelease(from, to) ? recorded : from;
}

// src/targets/kubernetes-state.ts
function trackStatus(tracks, container, frontUrl) {
  const track = (name, d) => d ? [
    {
      track: name,
      release: name === "stable" ? currentRelease(d, container) : readRelease(d) ?? currentRelease(d, container),
      ready: isRolledOut(d),
      replicas: d.spec.replicas ?? 1,
      ...name === "canary" && readRelease(d)?.time ? { deployedAt: readRelease(d)?.time } : {}
    }
  ] : [];
  const lock = readLock(tracks.stable);
  const gate = tracks.canary && readGate(tracks.canary);
  const op = readOperation(tracks.stable);
  return {
    tracks: [
      ...track("stable", tracks.stable),
      ...track("baseline", tracks.baseline),
      ...track("canary", tracks.canary)
    ],
    ...frontUrl ? { frontUrl } : {},
    ...lock ? { lock } : {},
    ...gate ? { gate } : {},
    ...op ? {
      interrupted: { operation: op.operation, version: op.version },
      warnings: [
        `a ${op.operation} of ${op.version} by ${op.holder} (since ${op.since}) was interrupted; the next deploy, promote or rollback finishes it first`
      ]
    } : {}
  };
}
var LOCK_ATTEMPTS = 3;
async function takeStableLock(input) {
  const { where, now } = input;
  for (let attempt = 1; ; attempt += 1) {
    const stable = await input.read();
    const held = readLock(stable);
    if (held) {
      const stale = lockIsStale(held, now(), input.timeoutMs);
      if (!input.force || !stale) {
        throw new CheckFailedError(
          `a canary is already out on ${where}: locked by ${held.holder} since ${held.since}; wait for it to be promoted or rolled back${stale ? ", or run again with --force" : `, or run with --force once the lock is older than deploy.timeout (${formatDuration(input.timeoutMs)})`}`,
          "locked",
          { holder: held.holder, since: held.since }
        );
      }
      input.log.warn(
        `breaking the lock of ${held.holder} (since ${held.since}, older than deploy.timeout) because of --force`
      );
    }
    const lock = { holder: input.holder, since: now().toISOString() };
    try {
      await input.kubectl.annotate(input.deployment, {
        set: { [ANNOTATION.lock]: lockAnnotation(lock) },
        resourceVersion: stable.metadata.resourceVersion
      });
      return stable;
    } catch (e) {
      if (!(e instanceof KubectlError && e.reason === "conflict")) throw e;
      if (attempt >= LOCK_ATTEMPTS) {
        throw new CheckFailedError(
          `${where} kept changing while taking the lock (${LOCK_ATTEMPTS} attempts); run status and try again`,
          "locked"
        );
      }
    }
  }
}

// src/targets/kubernetes-transactions.ts
function releaseRecords(k, change) {
  const record = change.operation && {
    operation: change.operation,
    version: change.to.version,
    holder: k.holder,
    since: k.now().toISOString()
  };
  return {
    [ANNOTATION.release]: releaseAnnotation(change.to, k.now()),
    [ANNOTATION.previous]: change.previous ? releaseAnnotation(change.previous, k.now()) : null,
    [JOURNAL_ANNOTATION.operation]: record ? operationAnnotation(record) : null,
    ...change.previousSpec && {
      [ANNOTATION.previousSpec]: JSON.stringify(change.previousSpec)
    }
  };
}
function appliedRecords(k, change) {
  return Object.fromEntries(
    Object.entries(releaseRecords(k, change)).filter((e) => e[1] !== null)
  );
}
function recordedSpec(stable, container, release) {
  const parsed = parseJson(stable.metadata.annotations?.[ANNOTATION.previousSpec]);
  const spec = parsed;
  const containers = spec?.template?.spec?.containers;
  if (!Array.isArray(containers)) return void 0;
  const image = containers.find(
    (c) => c.name === container
  )?.image;
  return image === imageForRelease(release) ? spec : void 0;
}
function stablePatch(k, stable, change) {
  const container = k.containerOf(stable);
  const patch = imagePatch(stable, container, imageForRelease(change.to), change.to.version);
  return { ...patch, metadata: { annotations: releaseRecords(k, change) } };
}
async function closeOut(k) {
  await k.traffic?.restore();
  await k.kubectl.deleteDeployments([k.names.canary, k.names.baseline]);
  const { stable } = await k.read();
  const remove = [ANNOTATION.lock, JOURNAL_ANNOTATION.operation].filter(
    (key) => stable.metadata.annotations?.[key] !== void 0
  );
  if (remove.length) await k.kubectl.annotate(k.names.stable, { remove });
}
async function recover(k) {
  const { stable } = await k.read();
  const op = readOperation(stable);
  if (!op) return void 0;
  k.log.warn(
    `a previous ${op.operation} of ${op.version} by ${op.holder} (since ${op.since}) was interrupted; finishing it first`
  );
  if (op.operation !== "abort") await k.waitForRollouts([k.names.stable]);
  await closeOut(k);
  return op;
}
async function promote(k, options) {
  const recovered = await recover(k);
  const { stable, canary } = await k.read();
  if (!canary) {
    if (recovered?.operation === "promote") return void 0;
    throw new CheckFailedError(
      `no canary to promote: ${k.names.canary} does not exist; run deploy first`,
      "no_canary"
    );
  }
  const container = k.containerOf(stable);
  const image = findContainer(canary, container).image;
  const next = readRelease(canary) ?? currentRelease(canary, container);
  const promoted = { ...next, image };
  const live = canaryOf(canary, image);
  const evidence = checkEvidence(
    live ?? { version: next.version, image, deployedAt: "unknown" },
    live ? readGate(canary) : void 0,
    options
  );
  const from = currentRelease(stable, container);
  const previous = nextPrevious(from, promoted, readRelease(stable, ANNOTATION.previous));
  const change = { to: promoted, previous, operation: "promote" };
  if (k.manifests) {
    const annotations = appliedRecords(k, { ...change, previousSpec: stable.spec });
    await k.manifests.promote({ stable, canary, release: promoted, annotations });
  } else await k.kubectl.patch(k.names.stable, stablePatch(k, stable, change));
  try {
    await k.waitForRollouts([k.names.stable]);
  } catch (e) {
    if (!k.isRolloutFailure(e)) throw e;
    const reason = await k.explain(e);
    const back = k.manifests ? await restoreSpec(k.manifests, stable) : await putBack(k, from, readRelease(stable, ANNOTATION.previous));
    throw new CheckFailedError(
      `promotion of ${promoted.version} failed: ${reason}; ${back}, canary left in place (run rollback to remove it)`,
      "rollout_failed"
    );
  }
  await closeOut(k);
  return evidence.forced;
}
async function restoreSpec(manifests, stable) {
  try {
    await manifests.restore(stable);
    return `stable's spec put back as it was`;
  } catch (e) {
    return `putting stable's spec back failed too (${errorMessage(e)}); check deployment ${stable.metadata.name} by hand`;
  }
}
async function putBack(k, release, previous) {
  try {
    const { stable } = await k.read();
    await k.kubectl.patch(k.names.stable, stablePatch(k, stable, { to: release, previous }));
    await k.waitForRollouts([k.names.stable]);
    return `stable put back on ${release.version}`;
  } catch (e) {
    return `putting stable back on ${release.image} failed too (${errorMessage(e)}); check deployment ${k.names.stable} by hand`;
  }
}
async function abort(k) {
  await recover(k);
  const { stable, canary, baseline } = await k.read();
  if (!canary && !baseline && !readLock(stable)) return;
  const version = (canary && readRelease(canary)?.version) ?? "";
  const record = {
    operation: "abort",
    version,
    holder: k.holder,
    since: k.now().toISOString()
  };
  await k.kubectl.annotate(k.names.stable, {
    set: { [JOURNAL_ANNOTATION.operation]: operationAnnotation(record) }
  });
  try {
    await closeOut(k);
  } catch (e) {
    throw new CheckFailedError(
      `could not remove the canary: ${errorMessage(e)}; the lock stays until it is gone (run rollback again)`,
      "abort_failed"
    );
  }
}
async function rollback(k, to) {
  const recovered = await recover(k);
  if (recovered?.operation === "rollback" && (!to || recovered.version === to.version)) return;
  await abort(k);
  const { stable } = await k.read();
  const container = k.containerOf(stable);
  const from = currentRelease(stable, container);
  const recorded = readRelease(stable, ANNOTATION.previous);
  const target = to ?? recorded;
  if (!target) {
    k.log.info(`no previous release recorded on ${k.names.stable}: kubectl rollout undo`);
    await k.kubectl.rolloutUndo(k.names.stable);
    await waitOrPutBack(k, from, recorded);
    const after = (await k.read()).stable;
    const landed2 = currentRelease(after, container);
    await k.kubectl.annotate(k.names.stable, {
      set: {
        [ANNOTATION.release]: releaseAnnotation(landed2, k.now()),
        [ANNOTATION.previous]: releaseAnnotation(from, k.now())
      },
      // rollout undo restores the annotations the old ReplicaSet kept, a lock among them.
      remove: readLock(after) ? [ANNOTATION.lock] : []
    });
    return;
  }
  k.log.info(
    `rolling ${k.names.stable} back from ${from.version} to ${target.version} (${imageForRelease(target)})`
  );
  const landed = { ...target, image: imageForRelease(target) };
  const previous = nextPrevious(from, landed, recorded);
  const change = { to: landed, previous, operation: "rollback" };
  const spec = recordedSpec(stable, container, target);
  if (spec) {
    const restored = restorable({ ...stable, spec });
    const records = releaseRecords(k, { ...change, previousSpec: stable.spec });
    restored.metadata.annotations = Object.fromEntries(
      Object.entries({ ...restored.metadata.annotations, ...records }).filter(
        (e) => e[1] !== null
      )
    );
    await k.kubectl.apply([restored]);
  } else await k.kubectl.patch(k.names.stable, stablePatch(k, stable, change));
  await waitOrPutBack(k, from, recorded, spec ? stable : void 0);
  await closeOut(k);
}
async function waitOrPutBack(k, from, previous, asRead) {
  try {
    await k.waitForRollouts([k.names.stable]);
  } catch (e) {
    if (!k.isRolloutFailure(e)) throw e;
    const reason = await k.explain(e);
    const back = asRead ? await restoreSpec({ restore: (d) => k.kubectl.apply([restorable(d)]) }, asRead) : await putBack(k, from, previous);
    throw new CheckFailedError(
      `rollback of ${k.names.stable} failed: ${reason}; ${back}`,
      "rollout_failed"
    );
  }
}
async function recordVerdict(k, record) {
  await k.kubectl.annotate(k.names.canary, {
    set: { [JOURNAL_ANNOTATION.gate]: JSON.stringify(record) }
  });
}
async function liveness(k) {
  const found = await k.kubectl.getDeployments([k.names.canary, k.names.baseline]);
  const up = (name) => (found.find((d) => d.metadata.name === name)?.status?.availableReplicas ?? 0) > 0;
  return { canary: up(k.names.canary), baseline: up(k.names.baseline) };
}

// src/targets/replicas.ts
function canaryReplicas(stableReplicas, percent) {
  if (!Number.isFinite(stableReplicas) || stableReplicas < 0)
    throw new RangeError(`stable replicas must be >= 0, got ${stableReplicas}`);
  if (!Number.isFinite(percent) || percent <= 0 || percent > 100)
    throw new RangeError(`percent must be in (0, 100], got ${percent}`);
  return Math.max(1, Math.round(stableReplicas * percent / 100));
}

// src/targets/kubernetes-share.ts
async function setTrafficShare(k, percent) {
  if (!Number.isFinite(percent) || percent <= 0 || percent > 50) {
    throw new ConfigError([
      `traffic share ${percent}: a percent in (0, 50] (canary and baseline each get it, stable the rest)`
    ]);
  }
  const { stable, canary, baseline } = await k.read();
  if (!canary || !baseline) {
    throw new CheckFailedError(
      `no canary out: ${k.names.canary} and ${k.names.baseline} must both exist to change their share; run deploy first`,
      "no_canary"
    );
  }
  const was = await k.traffic?.check(percent);
  const target = canaryReplicas(stable.spec.replicas ?? 1, percent);
  const before = { canary: canary.spec.replicas ?? 1, baseline: baseline.spec.replicas ?? 1 };
  const growing = was === void 0 ? target >= before.canary : percent >= was;
  const live = { ...before };
  async function scale(to) {
    const changed = ["canary", "baseline"].filter((t) => live[t] !== to[t]);
    for (const track of changed) {
      await k.kubectl.patch(k.names[track], { spec: { replicas: to[track] } });
      live[track] = to[track];
    }
    if (changed.length) await k.waitForRollouts([k.names.canary, k.names.baseline]);
  }
  k.log.info(
    `traffic share ${percent}%: canary and baseline ${target} replica(s) each${k.traffic ? ", route weights set" : ""}`
  );
  try {
    if (!growing) await k.traffic?.split(percent);
    await scale({ canary: target, baseline: target });
    if (growing) await k.traffic?.split(percent);
  } catch (e) {
    const reason = k.isRolloutFailure(e) ? await k.explain(e) : errorMessage(e);
    const problems = [];
    if (was !== void 0)
      await k.traffic?.split(was).catch((err) => problems.push(errorMessage(err)));
    await scale(before).catch((err) => problems.push(errorMessage(err)));
    const back = problems.length ? `putting the share back failed too (${problems.join("; ")}); check ${k.names.canary} and ${k.names.baseline} by hand` : `canary and baseline put back as they were`;
    if (k.isRolloutFailure(e)) {
      throw new CheckFailedError(
        `traffic share ${percent}% not reached: ${reason}; ${back}`,
        "rollout_failed"
      );
    }
    k.log.warn(`traffic share ${percent}% not reached: ${back}`);
    throw e;
  }
}

// src/targets/kubernetes-route.ts
var SPLIT_TRACKS = ["stable", "canary", "baseline"];
var TRACK_SERVICE_ANNOTATION = "model-delivery.dev/track-service-of";
function trackServiceName(service, track) {
  return `${service}-${track}`;
}
function trackServices(stable) {
  const selector = stable.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) {
    throw new ConfigError([
      `deploy.kubernetes.httpRoute.service: Service ${stable.metadata.name} has no selector; the canary split needs one to narrow to each track's pods`
    ]);
  }
  const ports = (stable.spec?.ports ?? []).map((p) => {
    const { name, port, targetPort, protocol, appProtocol } = p;
    return {
      ...name !== void 0 ? { name } : {},
      port,
      ...targetPort !== void 0 ? { targetPort } : {},
      ...protocol !== void 0 ? { protocol } : {},
      ...appProtocol !== void 0 ? { appProtocol } : {}
    };
  });
  return SPLIT_TRACKS.map((track) => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: trackServiceName(stable.metadata.name, track),
      labels: { ...stable.metadata.labels ?? {}, [TRACK_LABEL]: track },
      annotations: { [TRACK_SERVICE_ANNOTATION]: stable.metadata.name }
    },
    spec: { selector: { ...selector, [TRACK_LABEL]: track }, ports }
  }));
}
function refersTo(ref, names, namespace) {
  return (ref.group ?? "") === "" && (ref.kind ?? "Service") === "Service" && (ref.namespace ?? namespace) === namespace && names.has(ref.name);
}
function splitRules(route, n, where) {
  const ours = /* @__PURE__ */ new Set([n.service, ...SPLIT_TRACKS.map((t) => trackServiceName(n.service, t))]);
  const stableNames = /* @__PURE__ */ new Set([n.service, trackServiceName(n.service, "stable")]);
  const found = [];
  const problems = [];
  (route.spec?.rules ?? []).forEach((rule, index) => {
    const refs = rule.backendRefs ?? [];
    const mine = refs.filter((r) => refersTo(r, ours, n.namespace));
    if (mine.length === 0) return;
    const stable = mine.find((r) => refersTo(r, stableNames, n.namespace));
    if (mine.length !== refs.length || !stable) {
      problems.push(
        `${where}: rule ${index} sends to ${refs.map((r) => r.name).join(", ")}; the split needs a rule whose only backend is Service ${n.service}`
      );
      return;
    }
    const base = { ...stable };
    delete base.name;
    delete base.weight;
    found.push({ index, refs, base });
  });
  if (problems.length) throw new ConfigError(problems);
  if (found.length === 0) {
    const named = (route.spec?.rules ?? []).flatMap((r) => r.backendRefs ?? []).map((r) => r.name);
    throw new ConfigError([
      `${where} does not reference Service ${n.service} (its backends: ${named.join(", ") || "none"}); add a rule with backendRefs [{name: ${n.service}, port: \u2026}], or set deploy.kubernetes.httpRoute.service to the Service it sends to`
    ]);
  }
  return found;
}
function splitWeights(percent) {
  if (!Number.isFinite(percent) || percent < 0 || percent > 50)
    throw new RangeError(`a traffic share is a percent in [0, 50], got ${percent}`);
  const scale = [1, 10, 100].find((s) => Number.isInteger(Math.round(percent * s * 1e6) / 1e6)) ?? 100;
  const share = Math.round(percent * scale);
  return { stable: 100 * scale - 2 * share, canary: share, baseline: share };
}
function routePatch(route, n, percent, where) {
  const weights = percent === void 0 ? void 0 : splitWeights(percent);
  return splitRules(route, n, where).flatMap(({ index, refs, base }) => {
    const value = weights ? SPLIT_TRACKS.map((t) => ({
      name: trackServiceName(n.service, t),
      ...base,
      weight: weights[t]
    })) : [{ name: n.service, ...base }];
    if (JSON.stringify(value) === JSON.stringify(refs)) return [];
    const path = `/spec/rules/${index}/backendRefs`;
    return [
      { op: "test", path, value: refs },
      { op: "replace", path, value }
    ];
  });
}
function currentShare(route, n, where) {
  const rule = splitRules(route, n, where)[0];
  const canary = rule?.refs.find((r) => r.name === trackServiceName(n.service, "canary"));
  if (!rule || !canary) return void 0;
  const total = rule.refs.reduce((sum, r) => sum + (r.weight ?? 1), 0);
  return total > 0 ? (canary.weight ?? 1) / total * 100 : 0;
}

// src/targets/kubernetes-traffic.ts
var HTTPROUTE_RESOURCE = "httproutes.gateway.networking.k8s.io";
function createRouteTraffic(options) {
  const { kubectl, names: n, log } = options;
  const where = `HTTPRoute ${n.route} in namespace ${n.namespace} (deploy.kubernetes.httpRoute)`;
  const routeRef = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: n.route }
  };
  const serviceRef = { apiVersion: "v1", kind: "Service", metadata: { name: n.service } };
  function refused(e, doing) {
    const said = errorMessage(e);
    if (e instanceof KubectlError && e.reason === "forbidden") {
      throw new EnvironmentError(
        `${doing} was refused: ${e.kubectlMessage}; grant the CI identity get and patch on httproutes (group gateway.networking.k8s.io) and get, create, patch, delete on services in namespace ${n.namespace} (docs/kubernetes.md, RBAC)`,
        "forbidden"
      );
    }
    if (/no matches for kind "HTTPRoute"|doesn't have a resource type/.test(said)) {
      throw new EnvironmentError(
        `${doing}: the cluster does not serve gateway.networking.k8s.io/v1 HTTPRoute; install the Gateway API CRDs, or set deploy.kubernetes.traffic: replicas`,
        "gateway_api_missing"
      );
    }
    throw e;
  }
  async function readRoute() {
    const found = await kubectl.getObjects([routeRef]).catch((e) => refused(e, `reading ${where}`));
    return found[0];
  }
  async function requireRoute() {
    const route = await readRoute();
    if (!route) {
      throw new ConfigError([
        `deploy.kubernetes.httpRoute.name: ${where} not found; create it (its rule sending to Service ${n.service}) or fix the name`
      ]);
    }
    return route;
  }
  let tracks;
  async function services() {
    if (tracks) return tracks;
    const found = await kubectl.getObjects([serviceRef]).catch((e) => refused(e, `reading Service ${n.service}`));
    const stable = found[0];
    if (!stable) {
      throw new ConfigError([
        `deploy.kubernetes.httpRoute.service: Service ${n.service} not found in namespace ${n.namespace}; it is the Service ${n.route} sends to today (default: deploy.kubernetes.deployment)`
      ]);
    }
    tracks = trackServices(stable);
    return tracks;
  }
  async function patchRoute(percent, dryRun = false, read) {
    const route = read ?? await requireRoute();
    const ops = routePatch(route, n, percent, where);
    if (ops.length === 0) return;
    await kubectl.patchJson(HTTPROUTE_RESOURCE, n.route, ops, { dryRun }).catch((e) => refused(e, `setting the weights of ${where}`));
  }
  return {
    async check(percent) {
      const route = await requireRoute();
      const now = currentShare(route, n, where);
      if (now !== void 0) return now;
      await kubectl.apply(await services(), { dryRun: true }).catch((e) => refused(e, `creating the track Services of ${n.service}`));
      await patchRoute(percent, true, route);
      return now;
    },
    async split(percent) {
      const route = await requireRoute();
      if (currentShare(route, n, where) === void 0) {
        await kubectl.apply(await services()).catch((e) => refused(e, `creating the track Services of ${n.service}`));
      }
      await patchRoute(percent, false, route);
      log.info(`${where}: canary and baseline ${percent}% each, stable ${100 - 2 * percent}%`);
    },
    async restore() {
      const route = await readRoute();
      if (!route) log.warn(`${where} is gone; nothing to put back on Service ${n.service}`);
      else {
        await patchRoute(void 0, false, route).catch((e) => {
          if (!(e instanceof ConfigError)) throw e;
          log.warn(`${errorMessage(e)}; left as it is`);
        });
      }
      await kubectl.deleteObjects(
        SPLIT_TRACKS.map((t) => ({
          apiVersion: "v1",
          kind: "Service",
          metadata: { name: trackServiceName(n.service, t) }
        }))
      );
    }
  };
}

// src/targets/kubernetes.ts
var FAILED_ROLLOUT = /* @__PURE__ */ new Set(["rollout_failed"]);
function createKubernetesTarget(options) {
  const { kubectl, log } = options;
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const names = {
    stable: options.deployment,
    canary: trackDeploymentName(options.deployment, "canary"),
    baseline: trackDeploymentName(options.deployment, "baseline")
  };
  const where = `deployment ${names.stable} in namespace ${options.namespace}`;
  async function read() {
    const found = await kubectl.getDeployments([names.stable, names.canary, names.baseline]);
    const byName = (name) => found.find((d) => d.metadata.name === name);
    const stable = byName(names.stable);
    if (!stable) {
      throw new ConfigError([
        `deploy.kubernetes: ${where} not found; create it first (for the example: kubectl apply -k k8s) or fix deploy.kubernetes.deployment / namespace`
      ]);
    }
    return { stable, canary: byName(names.canary), baseline: byName(names.baseline) };
  }
  const containerOf = (d) => findContainer(d, options.container).name;
  const statusOf = (tracks) => trackStatus(tracks, containerOf(tracks.stable), options.frontUrl);
  async function status() {
    return statusOf(await read());
  }
  async function removeCanary(unlock) {
    const problems = [];
    await kubectl.deleteDeployments([names.canary, names.baseline]).catch((e) => problems.push(errorMessage(e)));
    if (unlock && problems.length === 0) {
      await kubectl.annotate(names.stable, { remove: [ANNOTATION.lock] }).catch((e) => problems.push(errorMessage(e)));
    }
    return problems;
  }
  const takeLock = (force) => takeStableLock({
    kubectl,
    deployment: names.stable,
    holder: options.holder,
    timeoutMs: options.timeoutMs,
    read: async () => (await read()).stable,
    log,
    where,
    force,
    now
  });
  async function waitForRollouts(deployments) {
    const results = await Promise.allSettled(
      deployments.map((name) => kubectl.rolloutStatus(name, options.timeoutMs))
    );
    const failures = results.flatMap((r) => r.status === "rejected" ? [r.reason] : []);
    if (failures.length > 0) throw failures[0];
  }
  async function explain(e) {
    const said = errorMessage(e);
    const name = e instanceof KubectlError ? e.deployment : void 0;
    if (!name) return said;
    const found = await kubectl.getDeployments([name]).catch(() => []);
    const conditions = found[0] ? conditionMessages(found[0]) : [];
    return conditions.length ? `${said} (${conditions.join("; ")})` : said;
  }
  function isRolloutFailure(e) {
    return e instanceof KubectlError && FAILED_ROLLOUT.has(e.reason);
  }
  const traffic = options.route && createRouteTraffic({ kubectl, names: options.route, log });
  const loadManifests2 = options.manifests;
  const steps = {
    kubectl,
    log,
    now,
    holder: options.holder,
    names,
    read,
    containerOf,
    waitForRollouts,
    isRolloutFailure,
    explain,
    ...traffic && { traffic },
    ...loadManifests2 && {
      manifests: {
        // Read and checked before anything is applied: a mistake in them changes nothing.
        promote: async ({ stable, canary, release, annotations }) => applyPromotedManifests({
          kubectl,
          manifests: await loadManifests2(),
          canary,
          container: containerOf(stable),
          release,
          namespace: options.namespace,
          annotations,
          log
        }),
        restore: (stable) => kubectl.apply([restorable(stable)])
      }
    }
  };
  return {
    status,
    async deployCanary(release, deployOptions = {}) {
      const manifests = await options.manifests?.();
      await traffic?.check(options.canaryPercent);
      await recover(steps);
      const stable = await takeLock(deployOptions.force ?? false);
      const container = containerOf(stable);
      const replicas = canaryReplicas(stable.spec.replicas ?? 1, options.canaryPercent);
      if (!selectorSeparatesTracks(stable)) {
        log.warn(
          `${where}: its selector has no track=stable, so its ReplicaSets may count canary and baseline pods; add track: stable to its selector and pod labels`
        );
      }
      if (manifests) for (const drift of driftReport(stable)) log.warn(drift);
      const image = imageForRelease(release);
      const time = now().toISOString();
      const plan = await planDeploy({
        kubectl,
        stable,
        manifests,
        container,
        image,
        release: { ...release, time },
        replicas,
        namespace: options.namespace
      }).catch(async (e) => {
        await removeCanary(true);
        throw e;
      });
      const { canary, baseline } = plan;
      log.info(
        `canary ${release.version} (${image}${manifests ? `, from ${manifests.model.file}` : ""}) and baseline ${readRelease(baseline)?.version ?? "?"}: ${replicas} replica(s) each beside ${stable.spec.replicas ?? 1} stable`
      );
      try {
        if (plan.create.length > 0) await kubectl.apply(plan.create);
        await kubectl.apply([canary, baseline]);
        await waitForRollouts([names.canary, names.baseline]);
        await traffic?.split(options.canaryPercent);
      } catch (e) {
        const reason = isRolloutFailure(e) ? await explain(e) : errorMessage(e);
        const routeProblems = [];
        await traffic?.restore().catch((err) => routeProblems.push(errorMessage(err)));
        const problems = [...routeProblems, ...await removeCanary(routeProblems.length === 0)];
        await kubectl.deleteObjects(plan.create).catch((err) => problems.push(errorMessage(err)));
        const cleanup = problems.length ? `; cleanup failed, remove ${names.canary} and ${names.baseline} by hand: ${problems.join("; ")}` : "; canary and baseline removed, stable untouched";
        if (isRolloutFailure(e)) {
          throw new CheckFailedError(
            `canary ${release.version} failed: ${reason}${cleanup}`,
            "rollout_failed",
            { kubectl: e.kubectlMessage }
          );
        }
        if (e instanceof EnvironmentError) {
          throw new EnvironmentError(
            `canary ${release.version} could not be applied: ${reason}${cleanup}`,
            e.reason,
            e.details
          );
        }
        throw e;
      }
      return status();
    },
    async promote(promoteOptions = {}) {
      const forced = await promote(steps, promoteOptions);
      return { ...await status(), ...forced ? { forced } : {} };
    },
    async abort() {
      await abort(steps);
      return status();
    },
    async rollback(to) {
      await rollback(steps, to);
      return status();
    },
    async setTrafficShare(percent) {
      await setTrafficShare(steps, percent);
      return status();
    },
    async recordVerdict(record) {
      await recordVerdict(steps, record);
    },
    async liveness() {
      return liveness(steps);
    },
    podMetrics: kubernetesPodMetrics({
      kubectl,
      namespace: options.namespace,
      deployments: { canary: names.canary, baseline: names.baseline, stable: names.stable }
    }),
    async dispose() {
      await options.dispose?.();
    }
  };
}

// src/targets/kubernetes-options.ts
var import_yaml = __toESM(require_dist(), 1);
import { mkdtempSync as mkdtempSync2, rmSync as rmSync2, writeFileSync as writeFileSync2 } from "node:fs";
import { hostname, tmpdir as tmpdir2, userInfo } from "node:os";
import { isAbsolute, join as join2, resolve as resolve2 } from "node:path";

// src/targets/kubernetes-manifest-files.ts
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
var KUSTOMIZATION = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
var GLOB = /[*?]/;
async function readReleaseManifests(root, config, kubectl) {
  const objects = await loadManifests({
    root,
    entries: config.manifests,
    kustomize: (dir) => kubectl.kustomize(dir)
  });
  return selectReleaseObjects(objects, {
    deployment: config.deployment ?? "",
    container: config.container,
    namespace: config.namespace,
    sources: config.manifests
  });
}
async function loadManifests(sources) {
  const objects = [];
  const problems = [];
  for (const entry of sources.entries) {
    const abs = resolve(sources.root, entry);
    if (GLOB.test(entry)) {
      const files = globFiles(sources.root, entry);
      if (files.length === 0) problems.push(`${entry}: the pattern matches no file`);
      collect(sources.root, files, objects, problems);
    } else if (!existsSync(abs)) {
      problems.push(`${entry}: no such file or directory`);
    } else if (statSync(abs).isDirectory() && KUSTOMIZATION.some((k) => existsSync(join(abs, k)))) {
      await collectKustomized(sources, entry, objects, problems);
    } else if (statSync(abs).isDirectory()) {
      const files = readdirSync(abs).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(abs, f));
      if (files.length === 0) problems.push(`${entry}: the directory holds no *.yaml file`);
      collect(sources.root, files, objects, problems);
    } else {
      collect(sources.root, [abs], objects, problems);
    }
  }
  if (problems.length > 0)
    throw new ConfigError(problems.map((p) => `deploy.kubernetes.manifests: ${p}`));
  return objects;
}
function collect(root, files, objects, problems, label) {
  const checked = validateManifests(root, files);
  const named = (file) => label ?? file;
  objects.push(...checked.objects.map((o) => ({ ...o, file: named(o.file) })));
  for (const p of checked.problems) {
    if (p.severity === "error") problems.push(`${named(p.file)}:${p.line ?? 1}: ${p.message}`);
  }
}
async function collectKustomized(sources, entry, objects, problems) {
  let rendered;
  try {
    rendered = await sources.kustomize(resolve(sources.root, entry));
  } catch (e) {
    problems.push(`${entry}: kubectl kustomize failed: ${errorMessage(e)}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "model-delivery-kustomize-"));
  try {
    const file = join(dir, "rendered.yaml");
    writeFileSync(file, rendered);
    collect(sources.root, [file], objects, problems, `${entry} (kubectl kustomize)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
function globFiles(root, pattern) {
  const segments = pattern.split("/").filter((s) => s && s !== ".");
  const fixed = [];
  while (segments.length && !GLOB.test(segments[0])) fixed.push(segments.shift());
  const base = resolve(root, ...fixed);
  if (!existsSync(base) || !statSync(base).isDirectory()) return [];
  const matcher = globRegExp(segments.join("/"));
  return walk(base).filter((f) => matcher.test(relative(base, f).split(sep).join("/"))).sort();
}
function globRegExp(pattern) {
  let out = "";
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      out += pattern[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += pattern[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|\\[\]]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === "node_modules" || d.name === ".git" ? [] : walk(path);
    return d.isFile() ? [path] : [];
  });
}

// src/targets/kubernetes-options.ts
function kubernetesTargetOptions(ctx) {
  const { deploy } = ctx.config;
  const k8s = deploy.kubernetes;
  if (!k8s.deployment) {
    throw new ConfigError([
      "deploy.kubernetes.deployment: required for deploy.target kubernetes (the name of the stable Deployment)"
    ]);
  }
  if (k8s.traffic === "gateway-api" && !k8s.httpRoute) {
    throw new ConfigError([
      "deploy.kubernetes.httpRoute: required with traffic: gateway-api (the HTTPRoute to split, e.g. {name: classifier})"
    ]);
  }
  const kubeconfig = resolveKubeconfig(ctx, k8s.kubeconfig);
  const kubectl = createKubectl({
    program: k8s.kubectl,
    connection: { namespace: k8s.namespace, context: k8s.context, kubeconfig: kubeconfig.path },
    env: ctx.env,
    requestTimeoutMs: k8s.requestTimeout,
    log: ctx.log
  });
  const { github } = ctx;
  const holder = github.repository && github.runId ? `${github.repository} run ${github.runId}${github.actor ? ` (${github.actor})` : ""}` : `${localUser(ctx.inputs.user)}@${hostname()}`;
  return {
    kubectl,
    deployment: k8s.deployment,
    namespace: k8s.namespace,
    container: k8s.container,
    canaryPercent: initialShare(deploy),
    timeoutMs: deploy.timeout,
    holder,
    ...deploy.url ? { frontUrl: deploy.url } : {},
    log: ctx.log,
    ...k8s.manifests.length > 0 ? { manifests: () => readReleaseManifests(ctx.root, k8s, kubectl) } : {},
    ...k8s.traffic === "gateway-api" && k8s.httpRoute ? {
      route: {
        route: k8s.httpRoute.name,
        service: k8s.httpRoute.service ?? k8s.deployment,
        namespace: k8s.namespace
      }
    } : {},
    kubeconfig: kubeconfig.path,
    dispose: kubeconfig.dispose
  };
}
function localUser(fallback) {
  try {
    return userInfo().username;
  } catch {
    return fallback ?? "unknown";
  }
}
function resolveKubeconfig(ctx, configured) {
  const content = ctx.inputs.kubeconfig;
  if (content) {
    registerKubeconfigSecrets(content, ctx.secrets);
    const dir = mkdtempSync2(join2(tmpdir2(), "model-delivery-kube-"));
    const path = join2(dir, "config");
    writeFileSync2(path, content, { mode: 384 });
    return { path, dispose: async () => rmSync2(dir, { recursive: true, force: true }) };
  }
  if (configured)
    return { path: isAbsolute(configured) ? configured : resolve2(ctx.root, configured) };
  return {};
}
function registerKubeconfigSecrets(content, secrets) {
  secrets.add(content);
  let parsed;
  try {
    parsed = (0, import_yaml.parse)(content);
  } catch {
    return;
  }
  const users = parsed?.users ?? [];
  for (const { user } of users) {
    for (const field of ["token", "password", "client-key-data", "client-certificate-data"]) {
      const value = user?.[field];
      if (typeof value === "string") secrets.add(value);
    }
  }
}

// src/targets/factory.ts
async function createDeployTarget(ctx) {
  const target = ctx.config.deploy.target;
  switch (target) {
    case "local":
      return createLocalTarget(ctx);
    case "kubernetes":
      return createKubernetesTarget(kubernetesTargetOptions(ctx));
    default:
      throw new ConfigError([
        `deploy.target: unknown target "${target}"; expected one of: local, kubernetes`
      ]);
  }
}

export {
  createDeployTarget
};
