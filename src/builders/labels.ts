/** What the OCI labels of an image say about where it comes from. */
export interface LabelSource {
  revision: string;
  version: string;
  /** ISO 8601 time of the build. */
  created: string;
  /** URL of the source repository, when known. */
  source?: string;
  /** The train stage's metrics (flattened names), when it has run. */
  metrics?: Record<string, number>;
}

export const METRIC_LABEL_PREFIX = 'dev.model-delivery.metrics.';

/** OCI annotations (as labels) plus one label per training metric, so an image tells how good its model was. */
export function imageLabels(source: LabelSource): Record<string, string> {
  const labels: Record<string, string> = {
    'org.opencontainers.image.revision': source.revision,
    'org.opencontainers.image.version': source.version,
    'org.opencontainers.image.created': source.created,
  };
  if (source.source) labels['org.opencontainers.image.source'] = source.source;
  for (const [name, value] of Object.entries(source.metrics ?? {})) {
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    labels[`${METRIC_LABEL_PREFIX}${labelKeyPart(name)}`] = String(value);
  }
  return labels;
}

function labelKeyPart(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '_');
}

/**
 * The repository's web URL from a git remote: `git@github.com:o/r.git` and
 * `https://user:token@github.com/o/r.git` both give `https://github.com/o/r`. Credentials
 * in the remote never reach a label.
 */
export function sourceUrlFromRemote(remote: string | undefined): string | undefined {
  if (!remote) return undefined;
  const value = remote.trim();
  const scp = /^[\w.-]+@([\w.-]+):(.+?)(?:\.git)?\/?$/.exec(value);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  try {
    const url = new URL(value);
    const path = url.pathname.replace(/\.git\/?$/, '').replace(/\/$/, '');
    if (url.protocol === 'https:' || url.protocol === 'http:')
      return `${url.protocol}//${url.host}${path}`;
    if (url.protocol === 'ssh:') return `https://${url.hostname}${path}`;
    return undefined;
  } catch {
    // Not a URL (a local path remote): no web URL to give.
    return undefined;
  }
}
