import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { renderTags, tagSafe } from '../../../src/builders/tags.js';

const sha = '0123456789abcdef0123456789abcdef01234567';

describe('renderTags', () => {
  test.each([
    {
      name: 'default on the default branch: sha + latest',
      templates: [],
      values: { sha, version: 'v1', branch: 'main', defaultBranch: 'main' },
      want: [sha, 'latest'],
    },
    {
      name: 'default on another branch: sha only',
      templates: [],
      values: { sha, version: 'v1', branch: 'feature/x', defaultBranch: 'main' },
      want: [sha],
    },
    {
      name: 'default when the default branch is unknown: main counts',
      templates: [],
      values: { sha, version: 'v1', branch: 'main' },
      want: [sha, 'latest'],
    },
    {
      name: 'default with a default branch named trunk',
      templates: [],
      values: { sha, version: 'v1', branch: 'main', defaultBranch: 'trunk' },
      want: [sha],
    },
    {
      name: 'default on a detached HEAD',
      templates: [],
      values: { sha, version: 'v1' },
      want: [sha],
    },
    {
      name: 'every placeholder',
      templates: ['{{sha}}', '{{shortSha}}', 'v{{version}}', '{{branch}}-{{shortSha}}', 'fixed'],
      values: { sha, version: '1.2.0', branch: 'feature/new model' },
      want: [sha, '0123456', 'v1.2.0', 'feature-new-model-0123456', 'fixed'],
    },
    {
      name: 'spaces inside braces, duplicates removed',
      templates: ['{{ shortSha }}', '{{shortSha}}'],
      values: { sha, version: 'x' },
      want: ['0123456'],
    },
  ])('$name', ({ templates, values, want }) => {
    expect(renderTags(templates, values)).toEqual(want);
  });

  test.each([
    {
      templates: ['{{commit}}'],
      problem:
        /build\.tags\[0\]: unknown placeholder \{\{commit\}\}; known: \{\{sha\}\}, \{\{shortSha\}\}, \{\{version\}\}, \{\{branch\}\}/,
    },
    {
      templates: ['ok', '{{branch}}'],
      problem:
        /build\.tags\[1\]: "\{\{branch\}\}" uses \{\{branch\}\}, but no branch is checked out/,
    },
    {
      templates: ['has space'],
      problem: /build\.tags\[0\]: "has space" gives "has space", not a valid tag/,
    },
    { templates: ['x'.repeat(129)], problem: /not a valid tag/ },
  ])('rejects $templates with a message naming the entry', ({ templates, problem }) => {
    let error: unknown;
    try {
      renderTags(templates, { sha, version: 'v' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(problem);
  });

  test.each([
    ['feature/x', 'feature-x'],
    ['.hidden', 'hidden'],
    ['a@b#c', 'a-b-c'],
  ])('tagSafe(%s) = %s', (input, want) => {
    expect(tagSafe(input)).toBe(want);
  });
});
