import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { KubernetesDeployConfig } from '../config/sections/deploy-kubernetes.js';
import { validateManifests, type ManifestObject } from '../lint/manifests.js';
import type { Kubectl } from './kubectl.js';
import { selectReleaseObjects, type ReleaseManifests } from './kubernetes-release-manifests.js';

/**
 * Reads deploy.kubernetes.manifests: files, directories (their *.yaml / *.yml), globs
 * (`*`, `?`, `**`) relative to the repository root, and kustomize directories (a
 * directory with a kustomization file), rendered by `kubectl kustomize`.
 */

export interface ManifestSources {
  root: string;
  entries: readonly string[];
  /** `kubectl kustomize <dir>`: the rendered YAML. */
  kustomize(dir: string): Promise<string>;
}

const KUSTOMIZATION = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const GLOB = /[*?]/;

/** The configured manifests, read and checked for the release (a ConfigError naming the file otherwise). */
export async function readReleaseManifests(
  root: string,
  config: Pick<KubernetesDeployConfig, 'manifests' | 'deployment' | 'container' | 'namespace'>,
  kubectl: Pick<Kubectl, 'kustomize'>,
): Promise<ReleaseManifests> {
  const objects = await loadManifests({
    root,
    entries: config.manifests,
    kustomize: (dir) => kubectl.kustomize(dir),
  });
  return selectReleaseObjects(objects, {
    deployment: config.deployment ?? '',
    container: config.container,
    namespace: config.namespace,
    sources: config.manifests,
  });
}

/** Every object of the manifests with its file and line; a ConfigError listing every problem. */
export async function loadManifests(sources: ManifestSources): Promise<ManifestObject[]> {
  const objects: ManifestObject[] = [];
  const problems: string[] = [];
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
      const files = readdirSync(abs)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(abs, f));
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

function collect(
  root: string,
  files: string[],
  objects: ManifestObject[],
  problems: string[],
  label?: string,
): void {
  const checked = validateManifests(root, files);
  const named = (file: string) => label ?? file;
  objects.push(...checked.objects.map((o) => ({ ...o, file: named(o.file) })));
  for (const p of checked.problems) {
    if (p.severity === 'error') problems.push(`${named(p.file)}:${p.line ?? 1}: ${p.message}`);
  }
}

async function collectKustomized(
  sources: ManifestSources,
  entry: string,
  objects: ManifestObject[],
  problems: string[],
): Promise<void> {
  let rendered: string;
  try {
    rendered = await sources.kustomize(resolve(sources.root, entry));
  } catch (e) {
    problems.push(`${entry}: kubectl kustomize failed: ${errorMessage(e)}`);
    return;
  }
  // validateManifests reads files: give it the rendered YAML as one, named after the directory.
  const dir = mkdtempSync(join(tmpdir(), 'model-delivery-kustomize-'));
  try {
    const file = join(dir, 'rendered.yaml');
    writeFileSync(file, rendered);
    collect(sources.root, [file], objects, problems, `${entry} (kubectl kustomize)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Files under root matching a glob (`**` any depth, `*` and `?` within a segment), sorted. */
export function globFiles(root: string, pattern: string): string[] {
  const segments = pattern.split('/').filter((s) => s && s !== '.');
  const fixed: string[] = [];
  while (segments.length && !GLOB.test(segments[0] as string)) fixed.push(segments.shift()!);
  const base = resolve(root, ...fixed);
  if (!existsSync(base) || !statSync(base).isDirectory()) return [];
  const matcher = globRegExp(segments.join('/'));
  return walk(base)
    .filter((f) => matcher.test(relative(base, f).split(sep).join('/')))
    .sort();
}

export function globRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more directories.
      out += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|\\[\]]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' || d.name === '.git' ? [] : walk(path);
    return d.isFile() ? [path] : [];
  });
}
