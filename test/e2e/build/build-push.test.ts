import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { e2e } from '../../helpers/e2e.js';
import {
  copyExampleForBuild,
  privateBuildahEnv,
  readImage,
  startRegistry,
  type TestRegistry,
  buildArgs,
} from './registry.js';

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!e2e('buildah', 'docker-registry'))(
  'build stage with buildah and a real registry',
  () => {
    let registry: TestRegistry;
    let example: { dir: string; remove: () => void };
    let storage: ReturnType<typeof privateBuildahEnv>;
    let env: Record<string, string>;
    let head: string;
    let tmp: string;

    beforeAll(async () => {
      registry = await startRegistry();
      example = copyExampleForBuild();
      storage = privateBuildahEnv();
      // No Docker daemon answers here, whatever the machine has: `auto` must fall back to buildah.
      // A private TMPDIR shows what the stage leaves behind.
      tmp = mkdtempSync(join(tmpdir(), 'md-build-tmp-'));
      env = { ...storage.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock', TMPDIR: tmp };
      head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: example.dir }).toString().trim();
    });

    afterAll(async () => {
      await registry?.stop();
      storage?.remove();
      example?.remove();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it('refuses to build before training, telling the user to run train', async () => {
      const run = await runCli(buildArgs(registry.host, 'Containerfile.test'), {
        cwd: example.dir,
        env,
      });
      expect(run.exitCode).toBe(3);
      expect(run.json?.reason).toBe('build_input_missing');
      expect(run.json?.message).toMatch(/out\/model\.json is missing; run the train stage first/);
    });

    it('builds, labels and pushes the example; the registry serves the reported digest for every tag', async () => {
      const train = await runCli(['train', '--json'], { cwd: example.dir, env });
      expect(train.exitCode, train.stderr).toBe(0);
      const metrics = train.json?.details.metrics as Record<string, number>;
      const outputFile = join(example.dir, 'github-output');
      const summaryFile = join(example.dir, 'github-summary');
      writeFileSync(outputFile, '');
      writeFileSync(summaryFile, '');

      const run = await runCli(buildArgs(registry.host, 'Containerfile.test'), {
        cwd: example.dir,
        env: {
          ...env,
          GITHUB_ACTIONS: 'true',
          GITHUB_REPOSITORY: 'octo-org/classifier',
          GITHUB_EVENT_NAME: 'push',
          GITHUB_OUTPUT: outputFile,
          GITHUB_STEP_SUMMARY: summaryFile,
        },
      });
      expect(run.exitCode, run.stderr + run.stdout).toBe(0);
      const details = run.json?.details as { digest: string; tags: string[]; imageRef: string };
      expect(details.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(details.tags).toContain(head);
      expect(details.imageRef).toBe(`${registry.host}/classifier@${details.digest}`);

      for (const tag of details.tags) {
        const served = await readImage(registry, 'classifier', tag);
        expect(served.digest).toBe(details.digest);
      }
      const labels = (await readImage(registry, 'classifier', head)).config.config?.Labels ?? {};
      expect(labels['org.opencontainers.image.revision']).toBe(head);
      expect(labels['org.opencontainers.image.version']).toBe(head.slice(0, 7));
      expect(labels['org.opencontainers.image.source']).toBe(
        'https://github.com/octo-org/classifier',
      );
      expect(Date.parse(labels['org.opencontainers.image.created'] ?? '')).toBeGreaterThan(
        Date.now() - 10 * 60_000,
      );
      expect(Object.keys(metrics).length).toBeGreaterThan(0);
      for (const [name, value] of Object.entries(metrics)) {
        expect(Number(labels[`dev.model-delivery.metrics.${name}`])).toBe(value);
      }

      const outputs = readFileSync(outputFile, 'utf8');
      expect(outputs).toContain(details.digest);
      expect(outputs).toMatch(/^image-ref<<.*\n.*@sha256:/m);
      expect(outputs).toContain(`${registry.host}/classifier:${head}`);
      const summary = readFileSync(summaryFile, 'utf8');
      expect(summary).toContain(details.digest);
      expect(summary).toContain('dev.model-delivery.metrics.accuracy');
    });

    it('with build.push=false, builds without pushing and says so', async () => {
      const run = await runCli(
        [
          'build',
          '--set',
          `build.image=${registry.host}/not-pushed`,
          '--set',
          'build.file=Containerfile.test',
          '--set',
          'build.push=false',
          '--json',
        ],
        { cwd: example.dir, env },
      );
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.json?.reason).toBe('built');
      expect(run.json?.message).toMatch(/not pushed \(build\.push is false\)/);
      expect(run.json?.details.digest).toBeUndefined();
      expect(run.json?.details.imageId).toMatch(/^sha256:/);
      const tags = await fetch(`${registry.url}/v2/not-pushed/tags/list`);
      expect(tags.status).toBe(404);
    });

    it('a broken Containerfile fails the stage (exit 1) with the tail of the builder’s error', async () => {
      writeFileSync(
        join(example.dir, 'Containerfile.broken'),
        'FROM scratch\nCOPY no-such-model.bin /app/\n',
      );
      const run = await runCli(buildArgs(registry.host, 'Containerfile.broken'), {
        cwd: example.dir,
        env,
      });
      expect(run.exitCode).toBe(1);
      expect(run.json?.reason).toBe('build_failed');
      expect(run.json?.message).toContain('no-such-model.bin');
      expect(run.json?.message).toMatch(
        /the image build failed: buildah build exited with code \d+/,
      );
    });

    it('an unreachable registry is an environment error (exit 3) naming the registry', async () => {
      const host = `127.0.0.1:${await closedPort()}`;
      const run = await runCli(
        [
          'build',
          '--set',
          `build.image=${host}/classifier`,
          '--set',
          'build.file=Containerfile.test',
          '--json',
        ],
        {
          cwd: example.dir,
          env,
        },
      );
      expect(run.exitCode).toBe(3);
      expect(run.json?.reason).toBe('registry_unreachable');
      expect(run.json?.message).toContain(`cannot reach the registry ${host}`);
    });

    it('build.platforms with buildah is refused with a clear config error (exit 2)', async () => {
      const run = await runCli(
        buildArgs(registry.host, 'Containerfile.test', '--set', 'build.platforms=[linux/arm64]'),
        { cwd: example.dir, env },
      );
      expect(run.exitCode).toBe(2);
      expect(run.json?.message).toMatch(
        /build\.platforms: only docker buildx builds for other platforms; buildah builds for this machine's platform/,
      );
    });

    it('leaves no credentials or temporary files behind', () => {
      expect(JSON.parse(readFileSync(storage.env.REGISTRY_AUTH_FILE as string, 'utf8'))).toEqual({
        auths: {},
      });
      expect(readdirSync(tmp).filter((f) => f.startsWith('model-delivery-build-'))).toEqual([]);
    });
  },
);
