import { execa, type ResultPromise } from 'execa';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE, REPO_ROOT } from '../../helpers/cli.js';

/** A test user of the htpasswd registry. The hash is bcrypt (cost 4, for speed) of `password`. */
export const TEST_USER = {
  username: 'ci',
  password: 'md-test-Passw0rd-7f3a',
  bcrypt: '$2b$04$QIpc6BIm2jfyH2wpYZMbDesvSfvwdY7jigki6epAmoOgznZEXW.Xa',
};

export interface TestRegistry {
  /** host:port, as in an image name. */
  host: string;
  url: string;
  stop(): Promise<void>;
}

/**
 * Debian's docker-registry (distribution v2) on 127.0.0.1, port chosen by the OS (read
 * back from its "listening on" log line), storage in a temp dir; optionally with htpasswd.
 */
export async function startRegistry(options: { htpasswd?: boolean } = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'md-registry-'));
  const auth = options.htpasswd
    ? `auth:\n  htpasswd:\n    realm: model-delivery-test\n    path: ${join(dir, 'htpasswd')}\n`
    : '';
  if (options.htpasswd)
    writeFileSync(join(dir, 'htpasswd'), `${TEST_USER.username}:${TEST_USER.bcrypt}\n`);
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:0\n${auth}`,
  );
  const child: ResultPromise = execa('docker-registry', ['serve', join(dir, 'config.yml')], {
    reject: false,
    all: true,
    buffer: false,
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await child;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const host = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('docker-registry did not start within 10s')),
        10_000,
      );
      let seen = '';
      child.all?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /listening on (127\.0\.0\.1:\d+)/.exec(seen);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] as string);
        }
      });
      void child.then((r) =>
        reject(new Error(`docker-registry exited: ${String(r.exitCode)} ${seen}`)),
      );
    });
    return { host, url: `http://${host}`, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

export interface ServedImage {
  digest: string;
  manifest: { config: { digest: string }; layers: Array<{ size: number }> };
  config: { config?: { Labels?: Record<string, string> } };
}

/** Reads a tag's manifest and config back over the registry's HTTP API. */
export async function readImage(
  registry: TestRegistry,
  name: string,
  tag: string,
  authHeader?: string,
): Promise<ServedImage> {
  const headers: Record<string, string> = {
    accept: MANIFEST_ACCEPT,
    ...(authHeader ? { authorization: authHeader } : {}),
  };
  const res = await fetch(`${registry.url}/v2/${name}/manifests/${tag}`, { headers });
  if (!res.ok) throw new Error(`GET manifest ${name}:${tag}: ${res.status}`);
  const digest = res.headers.get('docker-content-digest') ?? '';
  const manifest = (await res.json()) as ServedImage['manifest'];
  const blob = await fetch(`${registry.url}/v2/${name}/blobs/${manifest.config.digest}`, {
    headers,
  });
  if (!blob.ok) throw new Error(`GET config blob: ${blob.status}`);
  return { digest, manifest, config: (await blob.json()) as ServedImage['config'] };
}

/**
 * buildah with private storage (vfs, chroot isolation: what works in a container), so
 * tests never share image storage with other processes.
 */
export function privateBuildahEnv(): { env: Record<string, string>; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'md-buildah-'));
  const conf = join(dir, 'storage.conf');
  // An existing, empty auth file: a login that leaked into the user's auth file would show here.
  writeFileSync(join(dir, 'auth.json'), '{"auths":{}}\n');
  writeFileSync(
    conf,
    `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'root')}"\nrunroot = "${join(dir, 'runroot')}"\n`,
  );
  return {
    env: {
      CONTAINERS_STORAGE_CONF: conf,
      STORAGE_DRIVER: 'vfs',
      BUILDAH_ISOLATION: 'chroot',
      REGISTRY_AUTH_FILE: join(dir, 'auth.json'),
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A private copy of examples/classifier inside the repository (so node_modules and tsx
 * resolve, and git reads this repository's HEAD), without outputs or reports.
 */
export function copyExampleForBuild(): { dir: string; remove: () => void } {
  const base = join(REPO_ROOT, '.tmp-tests');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'build-'));
  cpSync(EXAMPLE, dir, {
    recursive: true,
    filter: (src) =>
      !/[/\\](out|\.model-delivery|node_modules)([/\\]|$)/.test(src.slice(EXAMPLE.length)),
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `build` on the test registry's `classifier` repository, as JSON, plus any extra arguments. */
export function buildArgs(host: string, file: string, ...extra: string[]): string[] {
  return [
    'build',
    '--set',
    `build.image=${host}/classifier`,
    '--set',
    `build.file=${file}`,
    ...extra,
    '--json',
  ];
}
