/** The registry host of an image repository, as `docker login` and `buildah login` want it. */
export function registryOf(repository: string): string {
  const first = repository.split('/')[0] ?? '';
  const hasHost =
    repository.includes('/') &&
    (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasHost ? first : 'docker.io';
}

/** True for registries on this machine, which Docker treats as insecure (plain HTTP) by default. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[')
    ? registry.slice(1, registry.indexOf(']'))
    : (registry.split(':')[0] ?? '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function taggedRef(repository: string, tag: string): string {
  return `${repository}:${tag}`;
}

export function digestRef(repository: string, digest: string): string {
  return `${repository}@${digest}`;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** A digest as written by a builder's digest file; undefined when the text is not one. */
export function parseDigest(text: string): string | undefined {
  const value = text.trim();
  return DIGEST.test(value) ? value : undefined;
}
