export type ChatCommand =
  | { command: 'rollback'; environment?: string; to?: string }
  | { command: 'status'; environment?: string }
  | { command: 'help' }
  | { command: 'invalid'; problem: string };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,99}$/;

export const USAGE = [
  '`/rollback [environment] [to <ref>]`: roll the environment back (default: to the last good release)',
  '`/status [environment]`: what is live, since when, and the last good release',
  '`/help`: this list',
];

/**
 * Pure: the command in a comment, when its first non-empty line starts with one (as
 * branch-deploy does, so quoting a command later in a comment does not run it).
 */
export function parseCommand(body: string): ChatCommand | undefined {
  const line =
    body
      .split(/\r?\n/)
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  const m = /^\/(rollback|status|help)(?:\s+(.*))?$/.exec(line);
  if (!m) return undefined;
  const words = (m[2] ?? '').trim().split(/\s+/).filter(Boolean);
  const name = m[1] as 'rollback' | 'status' | 'help';
  if (name === 'help')
    return words.length === 0 ? { command: 'help' } : invalid('`/help` takes no arguments');
  let environment: string | undefined;
  let to: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === 'to' && name === 'rollback') {
      const ref = words[i + 1];
      if (!ref) return invalid('`to` needs a ref: `/rollback production to v1.2.3`');
      if (!NAME.test(ref)) return invalid(`\`${ref.slice(0, 40)}\` is not a valid ref`);
      to = ref;
      i++;
    } else if (environment === undefined && NAME.test(w)) {
      environment = w;
    } else {
      return invalid(
        `unexpected \`${w.slice(0, 40)}\`; usage: ${name === 'rollback' ? USAGE[0] : USAGE[1]}`,
      );
    }
  }
  return name === 'rollback'
    ? { command: 'rollback', environment, to }
    : { command: 'status', environment };
}

function invalid(problem: string): ChatCommand {
  return { command: 'invalid', problem };
}
