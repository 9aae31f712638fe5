import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../src/core/errors.js';
import { execProgram, startDetached } from '../../../src/core/exec.js';
import { gitQuery, runGit } from '../../../src/core/git.js';

const dir = mkdtempSync(join(tmpdir(), 'md-exec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const node = process.execPath;
const base = { cwd: dir, timeoutHint: 'raise x.timeout' };

describe('execProgram, the exec chokepoint', () => {
  it('returns a non-zero exit with the tail of combined output, and passes stdin', async () => {
    const lines: string[] = [];
    const result = await execProgram({
      ...base,
      argv: [
        node,
        '-e',
        'for (let i = 1; i <= 5; i++) console.log("out " + i); console.error("err"); process.stdin.pipe(process.stdout); process.stdin.on("end", () => process.exit(3))',
      ],
      input: 'secret-in',
      captureStdout: true,
      tailLines: 3,
      onLine: (l) => lines.push(l),
    });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toContain('out 1');
    expect(result.stdout).toContain('secret-in');
    expect(result.tail).toHaveLength(3);
    expect(lines).toContain('err');
  });

  it('names a missing program, with the caller’s message or the default', async () => {
    const missing = { ...base, argv: ['md-no-such-program-xyz'] };
    await expect(execProgram({ ...missing, label: 'train.command' })).rejects.toMatchObject({
      reason: 'command_not_found',
      message:
        'train.command: command `md-no-such-program-xyz` not found (looked on PATH); install it or fix the command',
    });
    await expect(
      execProgram({ ...missing, notFound: (p) => `${p} is not installed` }),
    ).rejects.toThrow(/^md-no-such-program-xyz is not installed$/);
  });

  it('stops a program at its timeout and says what to do', async () => {
    const error = await execProgram({
      ...base,
      argv: [node, '-e', 'setInterval(() => {}, 1000)'],
      timeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect((error as Error).message).toMatch(/timed out after .*; raise x\.timeout$/);
  });
});

describe('the chokepoint for callers with their own words (kubectl) and for detached servers', () => {
  it('keeps stderr apart from stdout, and uses the caller’s reasons and display', async () => {
    const result = await execProgram({
      ...base,
      argv: [
        node,
        '-e',
        'console.log("{}"); console.error("Error from server (NotFound)"); process.exit(1)',
      ],
      captureStdout: true,
      captureStderr: true,
    });
    expect(result).toMatchObject({
      exitCode: 1,
      stdout: '{}',
      stderr: 'Error from server (NotFound)',
    });
    const slow = await execProgram({
      ...base,
      argv: [node, '-e', 'setInterval(() => {}, 1000)', '--', '--kubeconfig=/tmp/secret-path'],
      timeoutMs: 300,
      display: 'kubectl get deployments',
      reasons: { timeout: 'kubectl_timeout' },
    }).catch((e: unknown) => e);
    expect(slow).toMatchObject({ reason: 'kubectl_timeout' });
    expect((slow as Error).message).toMatch(/^`kubectl get deployments` timed out after/);
    expect((slow as Error).message).not.toContain('secret-path');
  });

  it('starts a detached server whose early exit is reported, and names a missing one', async () => {
    const logFile = join(dir, 'logs', 'server.log');
    const started = await startDetached({
      argv: [node, '-e', 'console.log("up"); process.exit(7)'],
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      logFile,
      label: 'deploy.local.command',
    });
    expect(started.pid).toBeGreaterThan(0);
    await expect(started.exited).resolves.toMatch(/exit code 7/);
    expect(readFileSync(logFile, 'utf8')).toBe('up\n');
    await expect(
      startDetached({
        argv: ['md-no-such-server-xyz', '--port', '1'],
        cwd: dir,
        env: { PATH: process.env.PATH ?? '' },
        logFile,
        label: 'deploy.local.command',
      }),
    ).rejects.toMatchObject({
      reason: 'command_not_found',
      message: expect.stringMatching(
        /^deploy\.local\.command: command `md-no-such-server-xyz` not found .*install it or fix the command$/,
      ),
    });
  });
});

describe('git on the chokepoint', () => {
  const repo = join(dir, 'repo');
  execFileSync('git', ['init', '-q', repo]);
  writeFileSync(join(repo, 'a.txt'), 'a\n');
  const g = (...args: string[]) => execFileSync('git', args, { cwd: repo });
  g('add', 'a.txt');
  g('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'a');

  it('answers a query, and undefined where git cannot tell', async () => {
    expect(await gitQuery(repo, ['rev-parse', '--verify', 'HEAD'])).toMatch(/^[0-9a-f]{40}$/);
    expect(await gitQuery(repo, ['remote', 'get-url', 'origin'])).toBeUndefined();
    expect(await gitQuery(dir, ['rev-parse', '--verify', 'HEAD'])).toBeUndefined();
  });

  it('returns git’s failure with its message in the tail', async () => {
    const result = await runGit(repo, ['show', 'nope:./a.txt']);
    expect(result.exitCode).not.toBe(0);
    expect(result.tail.join('\n')).toMatch(/nope/);
  });
});
