import { ConfigError } from '../core/errors.js';

/** What tag templates may refer to. */
export interface TagValues {
  sha: string;
  version: string;
  branch?: string;
  defaultBranch?: string;
}

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const KNOWN = ['sha', 'shortSha', 'version', 'branch'] as const;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** A branch name made fit for a tag: `feature/x` → `feature-x`. */
export function tagSafe(value: string): string {
  return value
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128);
}

/** The default tags: the full commit sha, plus `latest` on the default branch. */
export function defaultTagTemplates(values: TagValues): string[] {
  const onDefault =
    values.branch !== undefined &&
    values.branch === (values.defaultBranch ?? guessDefault(values.branch));
  return onDefault ? ['{{sha}}', 'latest'] : ['{{sha}}'];
}

/** Without the repository's default branch (local runs), `main` and `master` count as default. */
function guessDefault(branch: string): string | undefined {
  return branch === 'main' || branch === 'master' ? branch : undefined;
}

/**
 * Renders `build.tags` (or the defaults when empty) into tags, deduplicated in order.
 * Every problem is collected: an unknown placeholder, {{branch}} on a detached HEAD, an
 * invalid tag.
 */
export function renderTags(templates: readonly string[], values: TagValues): string[] {
  const list = templates.length ? templates : defaultTagTemplates(values);
  const problems: string[] = [];
  const tags: string[] = [];
  list.forEach((template, i) => {
    const rendered = template.replace(PLACEHOLDER, (_match, name: string) => {
      switch (name) {
        case 'sha':
          return values.sha;
        case 'shortSha':
          return values.sha.slice(0, 7);
        case 'version':
          return tagSafe(values.version);
        case 'branch':
          if (values.branch === undefined) {
            problems.push(
              `build.tags[${i}]: "${template}" uses {{branch}}, but no branch is checked out (detached HEAD)`,
            );
            return '';
          }
          return tagSafe(values.branch);
        default:
          problems.push(
            `build.tags[${i}]: unknown placeholder {{${name}}}; known: ${KNOWN.map((k) => `{{${k}}}`).join(', ')}`,
          );
          return '';
      }
    });
    if (problems.length) return;
    if (!TAG.test(rendered)) {
      problems.push(
        `build.tags[${i}]: "${template}" gives "${rendered}", not a valid tag (letters, digits, _ . -; at most 128)`,
      );
      return;
    }
    if (!tags.includes(rendered)) tags.push(rendered);
  });
  if (problems.length) throw new ConfigError(problems, 'invalid_tags');
  return tags;
}
