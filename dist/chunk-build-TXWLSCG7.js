#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  detailsOf
} from "./chunk-chunk-XNTI4R7L.js";
import {
  gitQuery
} from "./chunk-chunk-OHQVI3ZY.js";
import {
  BUILDER_KINDS
} from "./chunk-chunk-BD2AABV4.js";
import "./chunk-chunk-EGNDYM6A.js";
import "./chunk-chunk-SSOYEDRJ.js";
import {
  displayCommand,
  execProgram
} from "./chunk-chunk-VV2JPDBC.js";
import {
  cell,
  markdownTable
} from "./chunk-chunk-Q3LNTHG7.js";
import "./chunk-chunk-YOU5EUFK.js";
import "./chunk-chunk-PF54JKQR.js";
import {
  CheckFailedError,
  ConfigError,
  DeliveryError,
  EnvironmentError
} from "./chunk-chunk-JOF44I4G.js";
import "./chunk-chunk-YW753B3X.js";

// src/stages/build.ts
import { existsSync as existsSync2, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as join3, relative, resolve } from "node:path";

// src/builders/args.ts
function common(input) {
  return [
    "--file",
    input.file,
    ...input.refs.flatMap((r) => ["--tag", r]),
    ...Object.keys(input.labels).sort().flatMap((k) => ["--label", `${k}=${input.labels[k]}`]),
    // `--build-arg NAME` without a value: the builder reads it from its environment.
    ...input.buildArgs.flatMap((name) => ["--build-arg", name])
  ];
}
function containersBuildArgs(input) {
  return [
    "build",
    ...common(input),
    "--iidfile",
    input.iidfile,
    ...authfileArgs(input.authfile),
    input.context
  ];
}
function containersPushArgs(input) {
  return [
    "push",
    "--digestfile",
    input.digestfile,
    ...tlsArgs(input.tlsVerify),
    ...authfileArgs(input.authfile),
    input.ref
  ];
}
function containersLoginArgs(input) {
  return [
    "login",
    "--username",
    input.username,
    "--password-stdin",
    ...tlsArgs(input.tlsVerify),
    ...authfileArgs(input.authfile),
    input.registry
  ];
}
function tlsArgs(tlsVerify) {
  return tlsVerify === void 0 ? [] : [`--tls-verify=${tlsVerify}`];
}
function authfileArgs(authfile) {
  return authfile ? ["--authfile", authfile] : [];
}
function buildahSizeArgs(imageId) {
  return ["inspect", "--type", "image", "--format", "{{.Manifest}}", imageId];
}
function podmanSizeArgs(imageId) {
  return ["image", "inspect", "--format", "{{.Size}}", imageId];
}
function dockerConfigArgs(configDir) {
  return configDir ? ["--config", configDir] : [];
}
function dockerBuildArgs(input) {
  const output = input.push ? ["--push"] : input.platforms.length ? [] : ["--load"];
  return [
    ...dockerConfigArgs(input.configDir),
    "buildx",
    "build",
    ...common(input),
    ...input.platforms.length ? ["--platform", input.platforms.join(",")] : [],
    "--metadata-file",
    input.metadataFile,
    ...output,
    input.context
  ];
}
function dockerLoginArgs(input) {
  return [
    ...dockerConfigArgs(input.configDir),
    "login",
    "--username",
    input.username,
    "--password-stdin",
    input.registry
  ];
}
function dockerSizeArgs(imageId) {
  return ["image", "inspect", "--format", "{{.Size}}", imageId];
}
var DOCKER_PROBE_ARGS = ["version", "--format", "{{.Server.Version}}"];
var CONTAINERS_PROBE_ARGS = ["--version"];
function parseBuildxMetadata(text) {
  const data = JSON.parse(text);
  const str = (v) => typeof v === "string" && v ? v : void 0;
  return {
    imageId: str(data["containerimage.config.digest"]),
    digest: str(data["containerimage.digest"])
  };
}
function manifestSize(text) {
  const manifest = JSON.parse(text);
  if (!manifest.config || !Array.isArray(manifest.layers)) return void 0;
  return (manifest.config.size ?? 0) + manifest.layers.reduce((sum, l) => sum + (l.size ?? 0), 0);
}

// src/builders/containers-tool.ts
import { readFileSync } from "node:fs";
import { join } from "node:path";

// src/builders/exec.ts
function createToolExec(options) {
  return async (args, call = {}) => {
    const argv = [options.binary, ...args];
    const result = await execProgram({
      argv,
      cwd: options.cwd,
      env: { ...options.env, ...call.env },
      extendEnv: false,
      timeoutMs: options.timeoutMs,
      input: call.input,
      onLine: call.stream ? (line) => options.log.info(line) : void 0,
      captureStdout: true,
      tailLines: options.tailLines ?? 15,
      timeoutHint: "raise build.timeout",
      notFound: (binary) => `${binary} is not installed (not found on PATH)`
    });
    return {
      exitCode: result.exitCode,
      stdout: result.stdout,
      tail: result.tail,
      command: displayCommand(argv)
    };
  };
}

// src/builders/image-ref.ts
function registryOf(repository) {
  const first = repository.split("/")[0] ?? "";
  const hasHost = repository.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return hasHost ? first : "docker.io";
}
function isLoopbackRegistry(registry) {
  const host = registry.startsWith("[") ? registry.slice(1, registry.indexOf("]")) : registry.split(":")[0] ?? "";
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
function taggedRef(repository, tag) {
  return `${repository}:${tag}`;
}
function digestRef(repository, digest) {
  return `${repository}@${digest}`;
}
var DIGEST = /^sha256:[a-f0-9]{64}$/;
function parseDigest(text) {
  const value = text.trim();
  return DIGEST.test(value) ? value : void 0;
}

// src/builders/types.ts
var BuilderCommandError = class extends Error {
  constructor(step, command, exitCode, tail) {
    super(`\`${command}\` exited with code ${exitCode}`);
    this.step = step;
    this.command = command;
    this.exitCode = exitCode;
    this.tail = tail;
    this.name = "BuilderCommandError";
  }
  step;
  command;
  exitCode;
  tail;
};

// src/builders/containers-tool.ts
var ContainersToolBuilder = class {
  constructor(binary, options) {
    this.options = options;
    this.exec = createToolExec({
      binary,
      log: options.log,
      cwd: options.cwd,
      env: options.env,
      timeoutMs: options.timeoutMs
    });
  }
  options;
  pushesWhileBuilding = false;
  exec;
  #authfile;
  async probe() {
    const result = await this.exec(CONTAINERS_PROBE_ARGS);
    return result.exitCode === 0 ? {
      usable: true,
      version: result.stdout.trim().replace(/^\S+ version /, "").replace(/\s*\(.*\)$/, "")
    } : { usable: false, why: result.tail.at(-1) ?? `exit code ${result.exitCode}` };
  }
  async login(request) {
    const authfile = join(this.options.workDir, "auth.json");
    const args = containersLoginArgs({
      registry: request.registry,
      username: request.username,
      tlsVerify: this.options.tlsVerify,
      authfile
    });
    const result = await this.exec(args, { input: request.password });
    if (result.exitCode !== 0)
      throw new BuilderCommandError("login", result.command, result.exitCode, result.tail);
    this.#authfile = authfile;
  }
  async build(request) {
    const iidfile = join(this.options.workDir, "iid");
    const result = await this.exec(
      containersBuildArgs({ ...request, iidfile, authfile: this.#authfile }),
      { stream: true }
    );
    if (result.exitCode !== 0)
      throw new BuilderCommandError("build", result.command, result.exitCode, result.tail);
    return { imageId: readFileSync(iidfile, "utf8").trim() };
  }
  async push(refs) {
    const digests = /* @__PURE__ */ new Set();
    for (const [i, ref] of refs.entries()) {
      const digestfile = join(this.options.workDir, `digest-${i}`);
      const args = containersPushArgs({
        ref,
        digestfile,
        tlsVerify: this.options.tlsVerify,
        authfile: this.#authfile
      });
      const result = await this.exec(args, { stream: true });
      if (result.exitCode !== 0)
        throw new BuilderCommandError("push", result.command, result.exitCode, result.tail);
      const digest = parseDigest(readFileSync(digestfile, "utf8"));
      if (!digest)
        throw new BuilderCommandError("push", result.command, 0, [
          `no digest in ${digestfile} after the push`
        ]);
      digests.add(digest);
    }
    if (digests.size !== 1) {
      throw new BuilderCommandError("push", "push", 0, [
        `the tags were pushed with different digests: ${[...digests].join(", ")}`
      ]);
    }
    return [...digests][0];
  }
};

// src/builders/buildah.ts
var BuildahBuilder = class extends ContainersToolBuilder {
  kind = "buildah";
  constructor(options) {
    super("buildah", options);
  }
  async size(imageId) {
    const result = await this.exec(buildahSizeArgs(imageId));
    return result.exitCode === 0 ? manifestSize(result.stdout) : void 0;
  }
};

// src/builders/docker.ts
import { existsSync, readFileSync as readFileSync2 } from "node:fs";
import { join as join2 } from "node:path";
var DockerBuilder = class {
  constructor(options) {
    this.options = options;
    this.#exec = createToolExec({
      binary: "docker",
      log: options.log,
      cwd: options.cwd,
      env: options.env,
      timeoutMs: options.timeoutMs
    });
  }
  options;
  kind = "docker";
  pushesWhileBuilding = true;
  #exec;
  #configDir;
  async probe() {
    const result = await this.#exec(DOCKER_PROBE_ARGS);
    return result.exitCode === 0 ? { usable: true, version: result.stdout.trim() } : { usable: false, why: result.tail.at(-1) ?? `exit code ${result.exitCode}` };
  }
  async login(request) {
    const configDir = join2(this.options.workDir, "docker-config");
    const result = await this.#exec(
      dockerLoginArgs({ registry: request.registry, username: request.username, configDir }),
      {
        input: request.password
      }
    );
    if (result.exitCode !== 0)
      throw new BuilderCommandError("login", result.command, result.exitCode, result.tail);
    this.#configDir = configDir;
  }
  async build(request) {
    const metadataFile = join2(this.options.workDir, "buildx-metadata.json");
    const args = dockerBuildArgs({ ...request, metadataFile, configDir: this.#configDir });
    const result = await this.#exec(args, { stream: true });
    if (result.exitCode !== 0)
      throw new BuilderCommandError("build", result.command, result.exitCode, result.tail);
    if (!existsSync(metadataFile))
      throw new BuilderCommandError("build", result.command, 0, [
        "docker buildx wrote no metadata file"
      ]);
    const metadata = parseBuildxMetadata(readFileSync2(metadataFile, "utf8"));
    if (!metadata.imageId)
      throw new BuilderCommandError("build", result.command, 0, [
        "docker buildx reported no image digest"
      ]);
    if (request.push && !metadata.digest)
      throw new BuilderCommandError("push", result.command, 0, [
        "docker buildx pushed but reported no digest"
      ]);
    return { imageId: metadata.imageId, digest: request.push ? metadata.digest : void 0 };
  }
  /** buildx already pushed while building; there is nothing left to push. */
  push() {
    return Promise.reject(new Error("docker pushes while building: call build with push set"));
  }
  async size(imageId) {
    const result = await this.#exec(dockerSizeArgs(imageId));
    const size = Number(result.stdout.trim());
    return result.exitCode === 0 && Number.isFinite(size) ? size : void 0;
  }
};

// src/builders/podman.ts
var PodmanBuilder = class extends ContainersToolBuilder {
  kind = "podman";
  constructor(options) {
    super("podman", options);
  }
  async size(imageId) {
    const result = await this.exec(podmanSizeArgs(imageId));
    const size = Number(result.stdout.trim());
    return result.exitCode === 0 && Number.isFinite(size) ? size : void 0;
  }
};

// src/builders/factory.ts
var AUTO_ORDER = ["docker", "buildah", "podman"];
var INSTALL_HINT = "install buildah (apt-get install buildah) or podman, or start the Docker daemon";
function createImageBuilder(kind, options) {
  switch (kind) {
    case "docker":
      return new DockerBuilder(options);
    case "buildah":
      return new BuildahBuilder(options);
    case "podman":
      return new PodmanBuilder(options);
    default:
      throw new ConfigError([
        `build.builder: unknown builder "${kind}"; allowed: ${BUILDER_KINDS.join(", ")}`
      ]);
  }
}
async function safeProbe(builder) {
  try {
    return await builder.probe();
  } catch (e) {
    if (e instanceof DeliveryError && e.reason === "command_not_found")
      return { usable: false, why: "not installed" };
    throw e;
  }
}
async function resolveImageBuilder(kind, options, create = createImageBuilder) {
  const candidates = kind === "auto" ? AUTO_ORDER : [create(kind, options).kind];
  const skipped = [];
  for (const candidate of candidates) {
    const builder = create(candidate, options);
    const probe = await safeProbe(builder);
    if (probe.usable) return { builder, version: probe.version, skipped };
    skipped.push(`${candidate}: ${probe.why}`);
  }
  const message = kind === "auto" ? `no image builder is usable (${skipped.join("; ")}); ${INSTALL_HINT}` : `build.builder is ${kind}, but it is not usable (${skipped.join("; ")}); install or start it, or set build.builder: auto`;
  throw new EnvironmentError(message, "no_builder", { tried: skipped });
}

// src/builders/failure.ts
var PATTERNS = [
  [
    "tls",
    /server gave HTTP response to HTTPS client|x509:|certificate (?:signed by unknown|is not valid)|tls: /i
  ],
  [
    "unauthorized",
    /unauthorized|authentication required|invalid username\/password|incorrect username or password|\b401\b|access denied|denied: /i
  ],
  [
    "unreachable",
    /connection refused|no such host|i\/o timeout|network is unreachable|no route to host|dial tcp|connection reset|TLS handshake timeout/i
  ]
];
function classifyRegistryFailure(lines) {
  const text = lines.join("\n");
  for (const [kind, pattern] of PATTERNS) if (pattern.test(text)) return kind;
  return "other";
}

// src/builders/git-info.ts
async function readGitInfo(cwd) {
  const git = (...args) => gitQuery(cwd, args);
  const [sha, branch, originHead, remoteUrl] = await Promise.all([
    git("rev-parse", "--verify", "HEAD"),
    git("symbolic-ref", "--quiet", "--short", "HEAD"),
    git("symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"),
    git("remote", "get-url", "origin")
  ]);
  return { sha, branch, defaultBranch: originHead?.replace(/^origin\//, ""), remoteUrl };
}

// src/builders/labels.ts
var METRIC_LABEL_PREFIX = "dev.model-delivery.metrics.";
function imageLabels(source) {
  const labels = {
    "org.opencontainers.image.revision": source.revision,
    "org.opencontainers.image.version": source.version,
    "org.opencontainers.image.created": source.created
  };
  if (source.source) labels["org.opencontainers.image.source"] = source.source;
  for (const [name, value] of Object.entries(source.metrics ?? {})) {
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    labels[`${METRIC_LABEL_PREFIX}${labelKeyPart(name)}`] = String(value);
  }
  return labels;
}
function labelKeyPart(name) {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, "_");
}
function sourceUrlFromRemote(remote) {
  if (!remote) return void 0;
  const value = remote.trim();
  const scp = /^[\w.-]+@([\w.-]+):(.+?)(?:\.git)?\/?$/.exec(value);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  try {
    const url = new URL(value);
    const path = url.pathname.replace(/\.git\/?$/, "").replace(/\/$/, "");
    if (url.protocol === "https:" || url.protocol === "http:")
      return `${url.protocol}//${url.host}${path}`;
    if (url.protocol === "ssh:") return `https://${url.hostname}${path}`;
    return void 0;
  } catch {
    return void 0;
  }
}

// src/builders/summary.ts
function formatBytes(bytes) {
  if (bytes === void 0) return "\u2014";
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
function buildSummary(data) {
  const facts = markdownTable(
    ["", ""],
    [
      ["image", `\`${data.image}\``],
      ["tags", data.tags.map((t) => `\`${t}\``).join(" ")],
      ["digest", data.digest ? `\`${data.digest}\`` : `not pushed (image id \`${data.imageId}\`)`],
      ["size", `${formatBytes(data.size)}${data.size === void 0 ? "" : " (uncompressed)"}`],
      ["built with", `${data.builder} from \`${data.file}\``]
    ]
  );
  const labels = markdownTable(
    ["label", "value"],
    Object.entries(data.labels).map(([k, v]) => [`\`${k}\``, cell(v)])
  );
  return `${facts}

**Labels**

${labels}`;
}

// src/builders/tags.ts
var PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
var KNOWN = ["sha", "shortSha", "version", "branch"];
var TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
function tagSafe(value) {
  return value.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[.-]+/, "").slice(0, 128);
}
function defaultTagTemplates(values) {
  const onDefault = values.branch !== void 0 && values.branch === (values.defaultBranch ?? guessDefault(values.branch));
  return onDefault ? ["{{sha}}", "latest"] : ["{{sha}}"];
}
function guessDefault(branch) {
  return branch === "main" || branch === "master" ? branch : void 0;
}
function renderTags(templates, values) {
  const list = templates.length ? templates : defaultTagTemplates(values);
  const problems = [];
  const tags = [];
  list.forEach((template, i) => {
    const rendered = template.replace(PLACEHOLDER, (_match, name) => {
      switch (name) {
        case "sha":
          return values.sha;
        case "shortSha":
          return values.sha.slice(0, 7);
        case "version":
          return tagSafe(values.version);
        case "branch":
          if (values.branch === void 0) {
            problems.push(
              `build.tags[${i}]: "${template}" uses {{branch}}, but no branch is checked out (detached HEAD)`
            );
            return "";
          }
          return tagSafe(values.branch);
        default:
          problems.push(
            `build.tags[${i}]: unknown placeholder {{${name}}}; known: ${KNOWN.map((k) => `{{${k}}}`).join(", ")}`
          );
          return "";
      }
    });
    if (problems.length) return;
    if (!TAG.test(rendered)) {
      problems.push(
        `build.tags[${i}]: "${template}" gives "${rendered}", not a valid tag (letters, digits, _ . -; at most 128)`
      );
      return;
    }
    if (!tags.includes(rendered)) tags.push(rendered);
  });
  if (problems.length) throw new ConfigError(problems, "invalid_tags");
  return tags;
}

// src/stages/build.ts
function sourceInfo(ctx, git) {
  const { github } = ctx;
  const sha = github.sha ?? git.sha;
  if (!sha) {
    throw new EnvironmentError(
      "cannot tell which commit to build: not a git repository and GITHUB_SHA is not set",
      "no_commit"
    );
  }
  const branchFromRef = github.ref?.startsWith("refs/heads/") ? github.refName : void 0;
  return {
    sha,
    branch: github.headRef ?? branchFromRef ?? git.branch,
    defaultBranch: github.defaultBranch ?? git.defaultBranch,
    version: ctx.flags.version ?? sha.slice(0, 7),
    source: github.repository ? `${github.serverUrl}/${github.repository}` : sourceUrlFromRemote(git.remoteUrl)
  };
}
function registryLogin(ctx, registry) {
  const { username, password } = ctx.inputs.registry;
  if (username && password) return { registry, username, password };
  if (username || password) {
    throw new ConfigError(
      [
        `registry credentials: ${username ? "REGISTRY_PASSWORD (input registry-password)" : "REGISTRY_USERNAME (input registry-username)"} is missing; set both or neither`
      ],
      "incomplete_credentials"
    );
  }
  if (registry === "ghcr.io" && ctx.github.actions && ctx.github.token) {
    return { registry, username: ctx.github.actor ?? "github-actions", password: ctx.github.token };
  }
  return void 0;
}
function trainMetrics(ctx) {
  const report = ctx.reports.load("train");
  if (report?.status !== "success") return void 0;
  return detailsOf(report)?.metrics;
}
function resolvePaths(root, build) {
  const missing = build.requires.filter((f) => !existsSync2(resolve(root, f)));
  if (missing.length) {
    throw new EnvironmentError(
      `build.requires: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing; run the train stage first (model-delivery train)`,
      "build_input_missing",
      { missing }
    );
  }
  const context = resolve(root, build.context);
  if (!existsSync2(context) || !statSync(context).isDirectory()) {
    throw new ConfigError([
      `build.context: ${build.context} is not a directory (looked for ${context})`
    ]);
  }
  const candidates = build.file ? [build.file] : ["Containerfile", "Dockerfile"];
  const file = candidates.map((f) => resolve(context, f)).find((f) => existsSync2(f));
  if (!file) {
    throw new ConfigError([
      build.file ? `build.file: ${build.file} does not exist in the context ${build.context}` : `build.file: no Containerfile or Dockerfile in the context ${build.context}; add one or set build.file`
    ]);
  }
  return { context, file };
}
function builderFailure(e, where) {
  if (!(e instanceof BuilderCommandError)) return e;
  const { registry, login } = where;
  const failed = `${where.builder} ${e.step}${e.exitCode ? ` exited with code ${e.exitCode}` : " failed"}`;
  const kind = e.step === "build" ? "other" : classifyRegistryFailure(e.tail);
  const details = { registry, command: e.command, toolExitCode: e.exitCode };
  const tail = (n) => e.tail.slice(-n).join("\n");
  switch (kind) {
    case "unreachable":
      return new EnvironmentError(
        `cannot reach the registry ${registry}; check build.image and that the registry is up (${failed})
${tail(2)}`,
        "registry_unreachable",
        details
      );
    case "unauthorized":
      return new EnvironmentError(
        login ? `the registry ${registry} refused the credentials of user "${login.username}"; check REGISTRY_USERNAME/REGISTRY_PASSWORD (inputs registry-username/registry-password) (${failed})
${tail(2)}` : `the registry ${registry} needs credentials; set REGISTRY_USERNAME and REGISTRY_PASSWORD (inputs registry-username/registry-password) (${failed})
${tail(2)}`,
        "registry_auth_failed",
        details
      );
    case "tls":
      return new EnvironmentError(
        `TLS to the registry ${registry} failed; for a plain-HTTP registry set build.tlsVerify: false (${failed})
${tail(2)}`,
        "registry_tls",
        details
      );
    default:
      if (e.step === "build")
        return new CheckFailedError(
          `the image build failed: ${failed}
${tail(6)}`,
          "build_failed",
          details
        );
      return new EnvironmentError(
        `${e.step} to ${registry} failed: ${failed}
${tail(6)}`,
        `${e.step}_failed`,
        details
      );
  }
}
function shouldPush(ctx) {
  return ctx.config.build.push ?? !ctx.github.eventName?.startsWith("pull_request");
}
async function runBuild(ctx) {
  const build = ctx.config.build;
  if (!build.image) {
    return {
      status: "success",
      reason: "not_configured",
      message: "skipped: build.image is not set (set it to build and push an image)",
      details: { skipped: true },
      summary: "_Skipped: `build.image` is not set._"
    };
  }
  const image = build.image;
  const registry = registryOf(image);
  const paths = resolvePaths(ctx.root, build);
  const info = sourceInfo(ctx, await readGitInfo(ctx.root));
  const tags = renderTags(build.tags, info);
  const refs = tags.map((t) => taggedRef(image, t));
  const metrics = trainMetrics(ctx);
  const labels = imageLabels({
    revision: info.sha,
    version: info.version,
    created: (/* @__PURE__ */ new Date()).toISOString(),
    source: info.source,
    metrics
  });
  const push = shouldPush(ctx);
  const login = push ? registryLogin(ctx, registry) : void 0;
  ctx.secrets.add(login?.password);
  const workDir = mkdtempSync(join3(tmpdir(), "model-delivery-build-"));
  try {
    const env = { ...ctx.env, ...build.args };
    const tlsVerify = build.tlsVerify ?? (isLoopbackRegistry(registry) ? false : void 0);
    const options = {
      log: ctx.log,
      cwd: ctx.root,
      env,
      timeoutMs: build.timeout,
      tlsVerify,
      workDir
    };
    const { builder, version, skipped } = await resolveImageBuilder(build.builder, options);
    if (skipped.length) ctx.log.info(`build.builder auto: ${skipped.join("; ")}`);
    if (build.platforms.length && builder.kind !== "docker") {
      throw new ConfigError([
        `build.platforms: only docker buildx builds for other platforms; ${builder.kind} builds for this machine's platform. Remove build.platforms or use build.builder: docker`
      ]);
    }
    ctx.log.info(`build: ${builder.kind} ${version}; ${paths.file} \u2192 ${refs.join(", ")}`);
    const result = await buildAndPush(ctx, builder, {
      paths,
      refs,
      labels,
      push,
      login,
      buildArgs: Object.keys(build.args),
      platforms: build.platforms
    }).catch((e) => {
      throw builderFailure(e, { builder: builder.kind, registry, login });
    });
    const data = {
      builder: builder.kind,
      image,
      tags,
      file: relative(ctx.root, paths.file) || paths.file,
      labels,
      pushed: push,
      ...result
    };
    return buildOutcome(data);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
async function buildAndPush(ctx, builder, plan) {
  if (plan.login) await builder.login(plan.login);
  const built = await ctx.log.group(
    `build: ${builder.kind} build`,
    () => builder.build({
      ...plan.paths,
      refs: plan.refs,
      labels: plan.labels,
      buildArgs: plan.buildArgs,
      platforms: plan.platforms,
      push: plan.push
    })
  );
  let digest;
  if (plan.push) {
    digest = built.digest ?? await ctx.log.group(`build: ${builder.kind} push`, () => builder.push(plan.refs));
  }
  const size = await builder.size(built.imageId);
  return { imageId: built.imageId, digest, size };
}
function buildOutcome(data) {
  const first = taggedRef(data.image, data.tags[0]);
  const imageRef = data.digest ? digestRef(data.image, data.digest) : void 0;
  return {
    status: "success",
    reason: data.pushed ? "pushed" : "built",
    message: data.pushed ? `pushed ${imageRef} (${data.tags.join(", ")})` : `built ${first}; not pushed (build.push is false)`,
    details: { ...data, imageRef, refs: data.tags.map((t) => taggedRef(data.image, t)) },
    outputs: {
      image: first,
      ...data.digest ? { digest: data.digest, "image-ref": imageRef } : {}
    },
    summary: buildSummary(data)
  };
}
var buildStage = {
  name: "build",
  description: "build the model image, label it with the commit and training metrics, push it; outputs its digest",
  run: runBuild
};
export {
  buildStage,
  registryLogin,
  sourceInfo
};
