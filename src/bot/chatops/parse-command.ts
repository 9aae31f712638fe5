import { inlineCode } from '../incident/inert.js';

export type ChatCommand =
  | { command: 'rollback'; environment?: string; to?: string }
  | { command: 'status'; environment?: string }
  | { command: 'help' }
  | { command: 'invalid'; problem: string };

/** Environment names: what GitHub environments and the refs the bot derives from them accept. */
const ENVIRONMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export const USAGE = [
  '`/rollback [environment] [to <ref>]`: roll the environment back (default: to the last good release)',
  '`/status [environment]`: what is live, since when, and the last good release',
  '`/help`: this list',
];

/**
 * Pure: whether `ref` is a ref name git accepts (`git check-ref-format --allow-onelevel`
 * rules: no component starting with `.` or ending with `.lock`, no `..`, no control
 * characters, space, `~^:?*[\`, no `@{`, not `@`, no leading `-`, no empty component, no
 * trailing `/` or `.`), at most 200 characters. A sha passes as any ref name does.
 */
export function isGitRefName(ref: string): boolean {
  if (ref.length === 0 || ref.length > 200) return false;
  if (ref.startsWith('-') || ref === '@' || ref.endsWith('/') || ref.endsWith('.')) return false;
  if (ref.includes('..') || ref.includes('@{') || ref.includes('//')) return false;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what git refuses
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(ref)) return false;
  // Stricter than git: nothing a shell or an expression could act on if a workflow echoes it.
  if (!/^[A-Za-z0-9._/+-]+$/.test(ref)) return false;
  return ref
    .split('/')
    .every((c) => c.length > 0 && !c.startsWith('.') && !c.toLowerCase().endsWith('.lock'));
}

/**
 * Pure: the command in a comment, when its first non-empty line starts with one (as
 * branch-deploy does, so quoting a command later in a comment does not run it). Command
 * words and `to` are matched whatever their case (`/Rollback`, `/STATUS`); environment
 * names and refs are kept as written.
 */
export function parseCommand(body: string): ChatCommand | undefined {
  const line =
    body
      .split(/\r?\n/)
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  const m = /^\/(rollback|status|help)(?:\s+(.*))?$/i.exec(line);
  if (!m) return undefined;
  const words = (m[2] ?? '').trim().split(/\s+/).filter(Boolean);
  const name = (m[1] as string).toLowerCase() as 'rollback' | 'status' | 'help';
  if (name === 'help')
    return words.length === 0 ? { command: 'help' } : invalid('`/help` takes no arguments');
  let environment: string | undefined;
  let to: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w.toLowerCase() === 'to' && name === 'rollback') {
      const ref = words[i + 1];
      if (!ref) return invalid('`to` needs a ref: `/rollback production to v1.2.3`');
      if (!isGitRefName(ref)) return invalid(`${inlineCode(ref, 40)} is not a valid git ref name`);
      to = ref;
      i++;
    } else if (environment === undefined && ENVIRONMENT.test(w)) {
      environment = w;
    } else {
      return invalid(
        `unexpected ${inlineCode(w, 40)}; usage: ${name === 'rollback' ? USAGE[0] : USAGE[1]}`,
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
