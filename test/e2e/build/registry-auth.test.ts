import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { e2e } from '../../helpers/e2e.js';
import {
  TEST_USER,
  copyExampleForBuild,
  privateBuildahEnv,
  readImage,
  startRegistry,
  type TestRegistry,
  buildArgs,
} from './registry.js';

describe.skipIf(!e2e('buildah', 'docker-registry'))(
  'build stage against a registry with htpasswd auth',
  () => {
    let registry: TestRegistry;
    let example: { dir: string; remove: () => void };
    let storage: ReturnType<typeof privateBuildahEnv>;
    let env: Record<string, string>;
    const wrongPassword = 'wrong-Secret-Pa55-c0ffee';

    const build = (extra: Record<string, string>) =>
      runCli(buildArgs(registry.host, 'Containerfile.test'), {
        cwd: example.dir,
        env: { ...env, ...extra },
      });
    const report = () =>
      readFileSync(join(example.dir, '.model-delivery/reports/build.json'), 'utf8');

    beforeAll(async () => {
      registry = await startRegistry({ htpasswd: true });
      example = copyExampleForBuild();
      storage = privateBuildahEnv();
      env = { ...storage.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
      const train = await runCli(['train'], { cwd: example.dir, env });
      expect(train.exitCode, train.stdout).toBe(0);
    });

    afterAll(async () => {
      await registry?.stop();
      storage?.remove();
      example?.remove();
    });

    it('wrong credentials: a clear error, and the password is in neither the log, the JSON nor the report', async () => {
      const run = await build({
        REGISTRY_USERNAME: TEST_USER.username,
        REGISTRY_PASSWORD: wrongPassword,
      });
      expect(run.exitCode).toBe(3);
      expect(run.json?.reason).toBe('registry_auth_failed');
      expect(run.json?.message).toContain(
        `the registry ${registry.host} refused the credentials of user "ci"`,
      );
      expect(run.stdout + run.stderr).not.toContain(wrongPassword);
      expect(report()).not.toContain(wrongPassword);
    });

    it('no credentials: says which ones to set', async () => {
      const run = await build({});
      expect(run.exitCode).toBe(3);
      expect(run.json?.reason).toBe('registry_auth_failed');
      expect(run.json?.message).toMatch(
        /needs credentials; set REGISTRY_USERNAME and REGISTRY_PASSWORD/,
      );
    });

    it('the action inputs registry-username/registry-password log in (password on stdin) and the push succeeds', async () => {
      const run = await build({
        'INPUT_REGISTRY-USERNAME': TEST_USER.username,
        'INPUT_REGISTRY-PASSWORD': TEST_USER.password,
      });
      expect(run.exitCode, run.stderr).toBe(0);
      const basic = `Basic ${Buffer.from(`${TEST_USER.username}:${TEST_USER.password}`).toString('base64')}`;
      const tag = (run.json?.details.tags as string[])[0] as string;
      const served = await readImage(registry, 'classifier', tag, basic);
      expect(served.digest).toBe(run.json?.details.digest);
      expect(run.stdout + run.stderr).not.toContain(TEST_USER.password);
      expect(report()).not.toContain(TEST_USER.password);
      // The login went to a private auth file that is gone, not to the user's.
      expect(JSON.parse(readFileSync(storage.env.REGISTRY_AUTH_FILE as string, 'utf8'))).toEqual({
        auths: {},
      });
    });
  },
);
