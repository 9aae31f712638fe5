import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from '../../helpers/cli.js';

/**
 * This repository as `uses: model-delivery/model-delivery@v1` fetches it: the files a tag
 * holds (what `git ls-files` tracks, so no node_modules, no .tmp-tests, nothing ignored),
 * committed to a repository of their own, tagged `v1`, and unpacked from `git archive v1`
 * as the runner unpacks an action's tarball. dist/ is taken from a fresh bundle of the
 * source: release.yml refuses to move a major tag to a commit whose dist/ is stale, so at a
 * tag the two are the same.
 */
export async function packAction(options: { freshDist: string; into: string }): Promise<string> {
  const staging = mkdtempSync(join(options.into, 'release-'));
  const listed = await execa('git', ['ls-files', '-z'], { cwd: REPO_ROOT });
  const files = String(listed.stdout)
    .split('\0')
    .filter((f) => f && !f.startsWith('dist/'));
  for (const file of files) {
    mkdirSync(dirname(join(staging, file)), { recursive: true });
    // A tracked file deleted in this working tree is not in the release either.
    cpSync(join(REPO_ROOT, file), join(staging, file), { force: true, errorOnExist: false });
  }
  cpSync(options.freshDist, join(staging, 'dist'), { recursive: true });
  const git = (args: string[]) => execa('git', args, { cwd: staging, env: GIT_ENV });
  await git(['init', '-q', '-b', 'main']);
  await git(['add', '-A']);
  await git(['commit', '-q', '-m', 'release v1.0.0']);
  await git(['tag', 'v1.0.0']);
  await git(['tag', 'v1']);
  // The runner's checkout of the action: _actions/<owner>/<name>/<ref>.
  const actionDir = join(options.into, '_actions', 'model-delivery', 'model-delivery', 'v1');
  mkdirSync(actionDir, { recursive: true });
  await execa('bash', ['-c', 'git archive v1 | tar -x -C "$1"', 'bash', actionDir], {
    cwd: staging,
  });
  rmSync(staging, { recursive: true, force: true });
  return actionDir;
}

/** A fixed identity and dates, so commits are made the same way on every machine. */
export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Ada Adopter',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Adopter',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: '/nonexistent',
};
