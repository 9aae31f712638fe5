import { parse } from 'yaml';
import { formatIssue } from '../config/format-issues.js';
import { allowedKeysAt } from '../config/schema-walk.js';
import { botSection, type BotConfig } from '../config/sections/bot.js';

export const REPO_CONFIG_PATH = '.github/model-delivery.yml';

export type RepoConfigResult =
  { ok: true; config: BotConfig } | { ok: false; problems: string[]; missing?: boolean };

/** A repository without the file has not opted in: the bot never acts on it. */
export const NOT_OPTED_IN: RepoConfigResult = {
  ok: false,
  missing: true,
  problems: [`${REPO_CONFIG_PATH} is missing: the repository has not opted in`],
};

/**
 * Pure: the `bot:` section of a repository's `.github/model-delivery.yml` (undefined text:
 * no file, so defaults). Only this section is read and `${VAR}` is NOT interpolated: a
 * repository's file must never pull the bot's own environment (its secrets) into a comment.
 */
export function parseRepoBotConfig(text: string | undefined): RepoConfigResult {
  let raw: unknown = {};
  if (text !== undefined) {
    try {
      raw = parse(text, { uniqueKeys: true }) ?? {};
    } catch (error) {
      return { ok: false, problems: [`${REPO_CONFIG_PATH}: ${firstLine(error)}`] };
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [`${REPO_CONFIG_PATH}: expected a mapping of sections`] };
  }
  const section = (raw as { bot?: unknown }).bot ?? {};
  const parsed = botSection.safeParse(section);
  if (parsed.success) return { ok: true, config: parsed.data };
  const problems = parsed.error.issues.flatMap((issue) =>
    formatIssue({ ...issue, path: ['bot', ...issue.path] }, (p) =>
      allowedKeysAt(botSection, p.slice(1)),
    ).split('\n'),
  );
  return { ok: false, problems };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'invalid YAML';
}
