import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { resolveImageBuilder } from '../builders/factory.js';
import { classifyRegistryFailure } from '../builders/failure.js';
import { readGitInfo, type GitInfo } from '../builders/git-info.js';
import { digestRef, isLoopbackRegistry, registryOf, taggedRef } from '../builders/image-ref.js';
import { imageLabels, sourceUrlFromRemote } from '../builders/labels.js';
import { buildSummary, type BuildSummaryData } from '../builders/summary.js';
import { renderTags } from '../builders/tags.js';
import { BuilderCommandError, type ImageBuilder, type LoginRequest } from '../builders/types.js';
import type { BuildConfig } from '../config/sections/build.js';
import { CheckFailedError, ConfigError, EnvironmentError } from '../core/errors.js';
import type { Metrics } from '../train/metrics-file.js';
import type { StageContext, StageDefinition, StageOutcome } from './types.js';
import { detailsOf } from '../report/stage-report.js';

/** Where the image comes from: commit, branch, version, repository URL. */
export interface SourceInfo {
  sha: string;
  branch?: string;
  defaultBranch?: string;
  version: string;
  source?: string;
}

/** GitHub's env wins over git (in Actions, checkout may leave HEAD detached). */
export function sourceInfo(ctx: Pick<StageContext, 'github' | 'flags'>, git: GitInfo): SourceInfo {
  const { github } = ctx;
  const sha = github.sha ?? git.sha;
  if (!sha) {
    throw new EnvironmentError(
      'cannot tell which commit to build: not a git repository and GITHUB_SHA is not set',
      'no_commit',
    );
  }
  const branchFromRef = github.ref?.startsWith('refs/heads/') ? github.refName : undefined;
  return {
    sha,
    branch: github.headRef ?? branchFromRef ?? git.branch,
    defaultBranch: github.defaultBranch ?? git.defaultBranch,
    version: ctx.flags.version ?? sha.slice(0, 7),
    source: github.repository
      ? `${github.serverUrl}/${github.repository}`
      : sourceUrlFromRemote(git.remoteUrl),
  };
}

/** Credentials from the inputs or env; for ghcr.io in Actions, the job's token by default. */
export function registryLogin(
  ctx: Pick<StageContext, 'inputs' | 'github'>,
  registry: string,
): LoginRequest | undefined {
  const { username, password } = ctx.inputs.registry;
  if (username && password) return { registry, username, password };
  if (username || password) {
    throw new ConfigError(
      [
        `registry credentials: ${username ? 'REGISTRY_PASSWORD (input registry-password)' : 'REGISTRY_USERNAME (input registry-username)'} is missing; set both or neither`,
      ],
      'incomplete_credentials',
    );
  }
  if (registry === 'ghcr.io' && ctx.github.actions && ctx.github.token) {
    return { registry, username: ctx.github.actor ?? 'github-actions', password: ctx.github.token };
  }
  return undefined;
}

/** The train stage's metrics, when it ran and passed: they become image labels. */
function trainMetrics(ctx: StageContext): Metrics | undefined {
  const report = ctx.reports.load('train');
  if (report?.status !== 'success') return undefined;
  return detailsOf(report)?.metrics;
}

interface BuildPaths {
  context: string;
  file: string;
}

function resolvePaths(root: string, build: BuildConfig): BuildPaths {
  const missing = build.requires.filter((f) => !existsSync(resolve(root, f)));
  if (missing.length) {
    throw new EnvironmentError(
      `build.requires: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing; run the train stage first (model-delivery train)`,
      'build_input_missing',
      { missing },
    );
  }
  const context = resolve(root, build.context);
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    throw new ConfigError([
      `build.context: ${build.context} is not a directory (looked for ${context})`,
    ]);
  }
  const candidates = build.file ? [build.file] : ['Containerfile', 'Dockerfile'];
  const file = candidates.map((f) => resolve(context, f)).find((f) => existsSync(f));
  if (!file) {
    throw new ConfigError([
      build.file
        ? `build.file: ${build.file} does not exist in the context ${build.context}`
        : `build.file: no Containerfile or Dockerfile in the context ${build.context}; add one or set build.file`,
    ]);
  }
  return { context, file };
}

/** Turns a failed builder command into the typed error the user sees, naming the registry. */
function builderFailure(
  e: unknown,
  where: { builder: string; registry: string; login?: LoginRequest },
): unknown {
  if (!(e instanceof BuilderCommandError)) return e;
  const { registry, login } = where;
  const failed = `${where.builder} ${e.step}${e.exitCode ? ` exited with code ${e.exitCode}` : ' failed'}`;
  const kind = e.step === 'build' ? 'other' : classifyRegistryFailure(e.tail);
  const details = { registry, command: e.command, toolExitCode: e.exitCode };
  const tail = (n: number) => e.tail.slice(-n).join('\n');
  switch (kind) {
    case 'unreachable':
      return new EnvironmentError(
        `cannot reach the registry ${registry}; check build.image and that the registry is up (${failed})\n${tail(2)}`,
        'registry_unreachable',
        details,
      );
    case 'unauthorized':
      return new EnvironmentError(
        login
          ? `the registry ${registry} refused the credentials of user "${login.username}"; check REGISTRY_USERNAME/REGISTRY_PASSWORD (inputs registry-username/registry-password) (${failed})\n${tail(2)}`
          : `the registry ${registry} needs credentials; set REGISTRY_USERNAME and REGISTRY_PASSWORD (inputs registry-username/registry-password) (${failed})\n${tail(2)}`,
        'registry_auth_failed',
        details,
      );
    case 'tls':
      return new EnvironmentError(
        `TLS to the registry ${registry} failed; for a plain-HTTP registry set build.tlsVerify: false (${failed})\n${tail(2)}`,
        'registry_tls',
        details,
      );
    default:
      if (e.step === 'build')
        return new CheckFailedError(
          `the image build failed: ${failed}\n${tail(6)}`,
          'build_failed',
          details,
        );
      return new EnvironmentError(
        `${e.step} to ${registry} failed: ${failed}\n${tail(6)}`,
        `${e.step}_failed`,
        details,
      );
  }
}

function shouldPush(ctx: StageContext): boolean {
  return ctx.config.build.push ?? !ctx.github.eventName?.startsWith('pull_request');
}

async function runBuild(ctx: StageContext): Promise<StageOutcome<'build'>> {
  const build = ctx.config.build;
  if (!build.image) {
    return {
      status: 'success',
      reason: 'not_configured',
      message: 'skipped: build.image is not set (set it to build and push an image)',
      details: { skipped: true },
      summary: '_Skipped: `build.image` is not set._',
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
    created: new Date().toISOString(),
    source: info.source,
    metrics,
  });
  const push = shouldPush(ctx);
  const login = push ? registryLogin(ctx, registry) : undefined;
  ctx.secrets.add(login?.password);

  const workDir = mkdtempSync(join(tmpdir(), 'model-delivery-build-'));
  try {
    const env = { ...ctx.env, ...build.args };
    // Like Docker, a loopback registry is plain HTTP unless said otherwise.
    const tlsVerify = build.tlsVerify ?? (isLoopbackRegistry(registry) ? false : undefined);
    const options = {
      log: ctx.log,
      cwd: ctx.root,
      env,
      timeoutMs: build.timeout,
      tlsVerify,
      workDir,
    };
    const { builder, version, skipped } = await resolveImageBuilder(build.builder, options);
    if (skipped.length) ctx.log.info(`build.builder auto: ${skipped.join('; ')}`);
    if (build.platforms.length && builder.kind !== 'docker') {
      throw new ConfigError([
        `build.platforms: only docker buildx builds for other platforms; ${builder.kind} builds for this machine's platform. Remove build.platforms or use build.builder: docker`,
      ]);
    }
    ctx.log.info(`build: ${builder.kind} ${version}; ${paths.file} → ${refs.join(', ')}`);
    const result = await buildAndPush(ctx, builder, {
      paths,
      refs,
      labels,
      push,
      login,
      buildArgs: Object.keys(build.args),
      platforms: build.platforms,
    }).catch((e: unknown) => {
      throw builderFailure(e, { builder: builder.kind, registry, login });
    });
    const data: BuildSummaryData = {
      builder: builder.kind,
      image,
      tags,
      file: relative(ctx.root, paths.file) || paths.file,
      labels,
      pushed: push,
      ...result,
    };
    return buildOutcome(data);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

interface BuildPlan {
  paths: BuildPaths;
  refs: string[];
  labels: Record<string, string>;
  push: boolean;
  login?: LoginRequest;
  buildArgs: string[];
  platforms: string[];
}

async function buildAndPush(ctx: StageContext, builder: ImageBuilder, plan: BuildPlan) {
  if (plan.login) await builder.login(plan.login);
  const built = await ctx.log.group(`build: ${builder.kind} build`, () =>
    builder.build({
      ...plan.paths,
      refs: plan.refs,
      labels: plan.labels,
      buildArgs: plan.buildArgs,
      platforms: plan.platforms,
      push: plan.push,
    }),
  );
  let digest: string | undefined;
  if (plan.push) {
    digest =
      built.digest ??
      (await ctx.log.group(`build: ${builder.kind} push`, () => builder.push(plan.refs)));
  }
  const size = await builder.size(built.imageId);
  return { imageId: built.imageId, digest, size };
}

function buildOutcome(data: BuildSummaryData): StageOutcome<'build'> {
  const first = taggedRef(data.image, data.tags[0] as string);
  const imageRef = data.digest ? digestRef(data.image, data.digest) : undefined;
  return {
    status: 'success',
    reason: data.pushed ? 'pushed' : 'built',
    message: data.pushed
      ? `pushed ${imageRef} (${data.tags.join(', ')})`
      : `built ${first}; not pushed (build.push is false)`,
    details: { ...data, imageRef, refs: data.tags.map((t) => taggedRef(data.image, t)) },
    outputs: {
      image: first,
      ...(data.digest ? { digest: data.digest, 'image-ref': imageRef } : {}),
    },
    summary: buildSummary(data),
  };
}

export const buildStage: StageDefinition<'build'> = {
  name: 'build',
  description:
    'build the model image, label it with the commit and training metrics, push it; outputs its digest',
  run: runBuild,
};
