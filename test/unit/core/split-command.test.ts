import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { ConfigError, ExitCode } from '../../../src/core/errors.js';
import { toArgv } from '../../../src/core/run-command.js';
import { splitCommand } from '../../../src/core/split-command.js';

describe('splitCommand: words as a POSIX shell splits them', () => {
  it.each([
    ['python3 -c "print(\'lint ok\')"', ['python3', '-c', "print('lint ok')"]],
    ['python3 -c \'print("x y")\'', ['python3', '-c', 'print("x y")']],
    ['python train.py --max_steps 10', ['python', 'train.py', '--max_steps', '10']],
    ['  spaced   out  ', ['spaced', 'out']],
    ['echo a\\ b', ['echo', 'a b']],
    ['echo "a \\"quoted\\" word"', ['echo', 'a "quoted" word']],
    ["echo 'back\\slash'", ['echo', 'back\\slash']],
    ["echo 'a|b' \"c && d\" 'x > y'", ['echo', 'a|b', 'c && d', 'x > y']],
    ["echo '*.py' \"$\"'HOME'", ['echo', '*.py', '$HOME']],
    ['echo ""', ['echo', '']],
    ['a "b"c\'d\'', ['a', 'bcd']],
    ['python3 -m pytest -k "not slow"', ['python3', '-m', 'pytest', '-k', 'not slow']],
  ])('%s', (command, argv) => {
    expect(splitCommand(command)).toEqual({ argv });
  });

  it.each([
    ['python3 -c "print(1)', /unbalanced double quote at character 12/],
    ["echo 'it", /unbalanced single quote at character 6/],
    ['echo trailing\\', /ends with a backslash/],
    ['pytest | tee log', /`\|` is a shell operator, but no shell runs the command/],
    ['make lint && make test', /`&&` is a shell operator, but no shell runs the command/],
    ['python train.py > out.txt', /`>` is a shell operator/],
    ['a; b', /`;` is a shell operator/],
    ['flake8 *.py', /`\*\.py` is a glob, but no shell runs the command/],
    ['echo $HOME', /`\$HOME` would be expanded by a shell, but no shell runs the command/],
    ['echo "${TOKEN}"', /`\$TOKEN` would be expanded/],
    ['echo $(date)', /`\(` is a shell operator/],
    ['echo `date`', /backticks would run a command substitution/],
    ['run # a comment', /would be a comment in a shell/],
    ['   ', /the command is empty/],
  ])('refuses %s', (command, problem) => {
    const result = splitCommand(command);
    expect(result).toHaveProperty('problem');
    expect((result as { problem: string }).problem).toMatch(problem);
  });

  it('toArgv throws a config error (exit 2) naming the command', () => {
    let caught: unknown;
    try {
      toArgv('pytest | tee', 'lint.commands[0]');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).exitCode).toBe(ExitCode.usage);
    expect((caught as ConfigError).message).toMatch(
      /^lint\.commands\[0\]: `\|` is a shell operator/,
    );
    expect(toArgv(['keep', 'a b'])).toEqual(['keep', 'a b']);
    // The example: execa's splitter cut inside the quotes (a SyntaxError in Python).
    expect(toArgv('python3 -c "print(\'lint ok\')"')).toEqual([
      'python3',
      '-c',
      "print('lint ok')",
    ]);
  });
});

describe('a command in the config is checked when the config loads', () => {
  function problems(yaml: string): string[] {
    const root = mkdtempSync(join(tmpdir(), 'md-command-'));
    mkdirSync(join(root, '.github'));
    writeFileSync(join(root, '.github', 'model-delivery.yml'), yaml);
    try {
      loadConfig({ cwd: root, env: {} });
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
    return [];
  }

  it('reports each bad command with its path, all at once', () => {
    const found = problems(
      [
        'lint:',
        '  commands:',
        '    - python3 -c "print(1)',
        '    - { name: tests, run: "pytest | tee log" }',
        'train:',
        '  command: python train.py > metrics.txt',
      ].join('\n'),
    );
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^lint\.commands\[0\].*unbalanced double quote/);
    expect(found[1]).toMatch(/^lint\.commands\[1\]\.run.*`\|` is a shell operator/);
    expect(found[2]).toMatch(/^train\.command.*`>` is a shell operator/);
  });

  it('accepts quoted commands', () => {
    expect(problems('lint:\n  commands: [\'python3 -c "print(1)"\']\n')).toEqual([]);
  });
});
