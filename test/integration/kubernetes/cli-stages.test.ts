import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { executeCli } from '../../../src/cli/execute.js';
import { readLock } from '../../../src/targets/kubernetes-manifests.js';
import { e2e } from '../../helpers/e2e.js';
import { NAMESPACE, startHarness, type Harness } from '../../fakes/kubernetes/harness.js';
import { recordVerdict } from '../../helpers/gate-verdict.js';

const DIGEST = `sha256:${'e'.repeat(64)}`;

/** The stages through the CLI entry, with deploy.target kubernetes: factory branch, stages, exit codes. */
describe.skipIf(!e2e('kubectl'))(
  'deploy, promote, rollback stages on the kubernetes target',
  () => {
    let h: Harness;
    let project: string;

    async function cli(
      ...argv: string[]
    ): Promise<{ code: number; result: { status: string; reason: string; message?: string } }> {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      stdout.on('data', (c: Buffer) => (out += c.toString()));
      stderr.resume();
      const env = {
        ...h.env,
        GITHUB_ACTIONS: undefined,
        GITHUB_TOKEN: undefined,
        GITHUB_REPOSITORY: undefined,
      };
      const code = await executeCli({
        argv: [...argv, '--json'],
        env,
        cwd: project,
        stdout,
        stderr,
      });
      return { code, result: JSON.parse(out.trim().split('\n').at(-1) as string) };
    }

    function writeBuild(image: string, digest: string): void {
      const report = {
        stage: 'build',
        status: 'success',
        reason: 'ok',
        details: {},
        outputs: { image, digest, 'image-ref': `${image.replace(/:[^/:]+$/, '')}@${digest}` },
        startedAt: new Date().toISOString(),
        durationMs: 1,
      };
      mkdirSync(join(project, '.model-delivery/reports'), { recursive: true });
      writeFileSync(join(project, '.model-delivery/reports/build.json'), JSON.stringify(report));
    }

    beforeAll(async () => {
      h = await startHarness();
      project = join(h.dir, 'project');
      mkdirSync(join(project, '.github'), { recursive: true });
      writeFileSync(
        join(project, '.github/model-delivery.yml'),
        [
          'deploy:',
          '  target: kubernetes',
          '  timeout: 3s',
          '  canary: { percent: 25 }',
          '  kubernetes:',
          `    namespace: ${NAMESPACE}`,
          '    deployment: classifier',
          `    kubeconfig: ${h.kubeconfig}`,
          '',
        ].join('\n'),
      );
    });
    afterAll(async () => {
      await h?.close();
    });

    test('deploy then promote: stable runs the built digest', async () => {
      writeBuild('ghcr.io/example/classifier:v2', DIGEST);
      const deployed = await cli('deploy', '--version', 'v2');
      expect(deployed.code).toBe(0);
      expect(h.deployment('classifier-canary')?.spec.template.spec.containers[0]?.image).toBe(
        `ghcr.io/example/classifier@${DIGEST}`,
      );

      const second = await cli('deploy', '--version', 'v2b');
      expect(second.code).toBe(1);
      expect(second.result.reason).toBe('locked');
      expect(second.result.message).toMatch(/locked by .+ since \d{4}-/);

      const refused = await cli('promote');
      expect(refused.code).toBe(1);
      expect(refused.result.reason).toBe('no_passing_gate');
      await recordVerdict(h.target());
      const promoted = await cli('promote');
      expect(promoted.code).toBe(0);
      expect(h.deployment('classifier')?.spec.template.spec.containers[0]?.image).toBe(
        `ghcr.io/example/classifier@${DIGEST}`,
      );
      expect(h.deployment('classifier-canary')).toBeUndefined();
    });

    test("a bad image: the deploy stage exits 1 with kubectl's reason, the cluster as before", async () => {
      const before = h.deployment('classifier')!;
      writeBuild('ghcr.io/example/classifier:bad', 'sha256:bad');
      const failed = await cli('deploy', '--version', 'v3');
      expect(failed.code).toBe(1);
      expect(failed.result.reason).toBe('rollout_failed');
      expect(failed.result.message).toMatch(/timed out waiting for the condition/);
      const after = h.deployment('classifier')!;
      expect(after.spec).toEqual(before.spec);
      expect(after.metadata.annotations).toEqual(before.metadata.annotations);
      expect(h.deployment('classifier-canary')).toBeUndefined();
      expect(readLock(after)).toBeUndefined();
    });

    test('rollback returns stable to the release before v2', async () => {
      // In one process the rollback stage reads a promote report of this process as "promoted
      // in this same run" and skips; a later job is a new process, so it never sees one.
      rmSync(join(project, '.model-delivery/reports/promote.json'));
      const rolled = await cli('rollback');
      expect(rolled.result.reason).toBe('rolled_back');
      expect(rolled.code).toBe(0);
      expect(h.deployment('classifier')?.spec.template.spec.containers[0]?.image).toBe(
        'ghcr.io/example/classifier:latest',
      );
    });

    test('--image ships an image built elsewhere (no build report); a bad reference is exit 2', async () => {
      rmSync(join(project, '.model-delivery/reports/build.json'));
      const bad = await cli(
        'deploy',
        '--version',
        'v4',
        '--image',
        'ghcr.io/example/classifier@sha256:nope',
      );
      expect(bad.code).toBe(2);
      expect(bad.result.message).toMatch(
        /--image .* is not an image reference; give repository@sha256:/,
      );
      expect(h.deployment('classifier-canary')).toBeUndefined();

      const image = `ghcr.io/example/classifier@sha256:${'f'.repeat(64)}`;
      const deployed = await cli('deploy', '--version', 'v4', '--image', image);
      expect(deployed.code).toBe(0);
      expect(h.deployment('classifier-canary')?.spec.template.spec.containers[0]?.image).toBe(
        image,
      );
    });
  },
);
