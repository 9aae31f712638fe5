import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { firstLine } from '../config/load.js';

export interface ManifestProblem {
  file: string;
  line?: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface ManifestObject {
  file: string;
  line: number;
  apiVersion: string;
  kind: string;
  name: string;
  body: Record<string, unknown>;
}

/** Kinds a model delivery ships, with the apiVersion the API server serves them at. */
export const KNOWN_KINDS: Record<string, string[]> = {
  Deployment: ['apps/v1'],
  StatefulSet: ['apps/v1'],
  Service: ['v1'],
  ConfigMap: ['v1'],
  Secret: ['v1'],
  ServiceAccount: ['v1'],
  Namespace: ['v1'],
  Role: ['rbac.authorization.k8s.io/v1'],
  RoleBinding: ['rbac.authorization.k8s.io/v1'],
  ClusterRole: ['rbac.authorization.k8s.io/v1'],
  ClusterRoleBinding: ['rbac.authorization.k8s.io/v1'],
  PodDisruptionBudget: ['policy/v1'],
  HorizontalPodAutoscaler: ['autoscaling/v2'],
  Ingress: ['networking.k8s.io/v1'],
  NetworkPolicy: ['networking.k8s.io/v1'],
  Kustomization: ['kustomize.config.k8s.io/v1beta1'],
  ServiceMonitor: ['monitoring.coreos.com/v1'],
  PodMonitor: ['monitoring.coreos.com/v1'],
  PrometheusRule: ['monitoring.coreos.com/v1'],
};

/** Expands files and directories (their *.yaml / *.yml files) relative to the root. */
export function expandManifestPaths(
  root: string,
  entries: readonly string[],
): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const entry of entries) {
    const abs = resolve(root, entry);
    if (!existsSync(abs)) missing.push(entry);
    else if (statSync(abs).isDirectory()) {
      files.push(
        ...readdirSync(abs)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(abs, f)),
      );
    } else files.push(abs);
  }
  return { files, missing };
}

/** Parses manifests and checks what the deploy stage relies on. Pure apart from reading the files. */
export function validateManifests(
  root: string,
  files: readonly string[],
): { objects: ManifestObject[]; problems: ManifestProblem[] } {
  const objects: ManifestObject[] = [];
  const problems: ManifestProblem[] = [];
  for (const abs of files) {
    const file = relative(root, abs);
    const counter = new LineCounter();
    const docs = parseAllDocuments(readFileSync(abs, 'utf8'), { lineCounter: counter });
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      const line = doc.contents?.range ? counter.linePos(doc.contents.range[0]).line : 1;
      if (doc.errors.length > 0) {
        for (const e of doc.errors) {
          problems.push({
            file,
            line: e.linePos?.[0].line,
            message: `YAML: ${firstLine(e.message)}`,
            severity: 'error',
          });
        }
        continue;
      }
      const body = doc.toJS() as unknown;
      if (body === null || body === undefined) continue;
      if (typeof body !== 'object' || Array.isArray(body)) {
        problems.push({
          file,
          line,
          message: 'expected a Kubernetes object (a mapping)',
          severity: 'error',
        });
        continue;
      }
      const object = checkObject(body as Record<string, unknown>, file, line, problems);
      if (object) objects.push(object);
    }
  }
  problems.push(...checkServiceSelectors(objects));
  return { objects, problems };
}

function checkObject(
  body: Record<string, unknown>,
  file: string,
  line: number,
  problems: ManifestProblem[],
) {
  const { apiVersion, kind } = body as { apiVersion?: unknown; kind?: unknown };
  const err = (message: string, severity: ManifestProblem['severity'] = 'error') =>
    problems.push({ file, line, message, severity });
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    err('missing apiVersion or kind');
    return undefined;
  }
  const versions = KNOWN_KINDS[kind];
  if (!versions) {
    err(
      `kind ${kind} (${apiVersion}) is not one model-delivery knows; known kinds: ${Object.keys(KNOWN_KINDS).join(', ')}`,
    );
    return undefined;
  }
  if (!versions.includes(apiVersion))
    err(`${kind} must use apiVersion ${versions.join(' or ')}, not ${apiVersion}`);
  const metadata = (body.metadata ?? {}) as { name?: unknown };
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  if (!name && kind !== 'Kustomization') err(`${kind} has no metadata.name`);
  const where = `${kind} ${name}`;
  if (kind === 'Deployment') checkDeployment(body, where, err);
  return { file, line, apiVersion, kind, name, body };
}

function checkDeployment(
  body: Record<string, unknown>,
  where: string,
  err: (m: string, s?: ManifestProblem['severity']) => void,
) {
  const spec = (body.spec ?? {}) as {
    selector?: { matchLabels?: Record<string, string> };
    template?: {
      metadata?: { labels?: Record<string, string> };
      spec?: { containers?: Array<{ name?: string; image?: string }> };
    };
  };
  const selector = spec.selector?.matchLabels ?? {};
  const labels = spec.template?.metadata?.labels ?? {};
  if (!selector.app)
    err(
      `${where}: spec.selector.matchLabels needs an "app" label (the Service selects tracks by it)`,
    );
  if (!labels.app) err(`${where}: spec.template.metadata.labels needs an "app" label`);
  else if (selector.app && selector.app !== labels.app) {
    err(`${where}: selector app=${selector.app} does not match the pod label app=${labels.app}`);
  }
  for (const [k, v] of Object.entries(selector)) {
    if (labels[k] !== v)
      err(`${where}: selector ${k}=${v} is missing from the pod template labels`);
  }
  if (!labels.version)
    err(
      `${where}: pod template has no "version" label; metrics cannot be split by version`,
      'warning',
    );
  const containers = spec.template?.spec?.containers ?? [];
  if (containers.length === 0) err(`${where}: spec.template.spec.containers is empty`);
  containers.forEach((c, i) => {
    if (!c.name) err(`${where}: containers[${i}] has no name`);
    if (!c.image) err(`${where}: containers[${i}] has no image`);
  });
}

/** A Service that selects on `track` or `version` would send all traffic to one track. */
function checkServiceSelectors(objects: ManifestObject[]): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const o of objects.filter((x) => x.kind === 'Service')) {
    const selector = ((o.body.spec as { selector?: Record<string, string> } | undefined)
      ?.selector ?? {}) as Record<string, string>;
    if (!selector.app) {
      problems.push({
        file: o.file,
        line: o.line,
        severity: 'error',
        message: `Service ${o.name}: spec.selector needs the shared "app" label`,
      });
    }
    for (const key of ['track', 'version']) {
      if (selector[key]) {
        problems.push({
          file: o.file,
          line: o.line,
          severity: 'error',
          message: `Service ${o.name}: selector must not include "${key}", or canary and baseline get no traffic`,
        });
      }
    }
  }
  return problems;
}
