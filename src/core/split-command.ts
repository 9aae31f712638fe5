import { parse, type ParseEntry } from 'shell-quote';

/**
 * Splits a configured command string into an argument array the way a POSIX shell splits
 * words: single and double quotes, backslash escapes. No shell ever runs the result, so
 * what only a shell would do (pipes, redirections, `&&`, globs, `$VAR`, command
 * substitution) is refused with a message instead of being passed on as literal text.
 *
 * Returns the argv, or the problem in words (the config loader reports it with its path).
 */
export function splitCommand(command: string): { argv: string[] } | { problem: string } {
  const quoting = quotingProblem(command);
  if (quoting) return { problem: quoting };
  const variables: string[] = [];
  // shell-quote expands $NAME through this callback; a shell would, we do not. A `$`
  // followed by no name is literal in a shell too.
  const entries = parse(command, (name: string) => {
    if (!name) return '$';
    variables.push(name);
    return '';
  });
  if (variables.length > 0)
    return {
      problem: `\`$${variables[0]}\` would be expanded by a shell, but no shell runs the command; write the value, pass it in the command's env, or put it in single quotes to mean a literal $`,
    };
  const argv: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') argv.push(entry);
    else return { problem: refusal(entry) };
  }
  if (argv.length === 0 || !argv[0]) return { problem: 'the command is empty' };
  return { argv };
}

function refusal(entry: Exclude<ParseEntry, string>): string {
  const noShell = 'no shell runs the command';
  if ('comment' in entry)
    return `\`#${entry.comment}\` would be a comment in a shell, but ${noShell}; quote the # or remove the comment`;
  if (entry.op === 'glob')
    return `\`${entry.pattern}\` is a glob, but ${noShell} to expand it; name the files, or quote the pattern if the program expands it itself`;
  return `\`${entry.op}\` is a shell operator, but ${noShell}; put pipes, redirections and command lists in a script and run the script`;
}

/**
 * Unbalanced quotes, a trailing backslash and backticks: shell-quote accepts them silently
 * (an unclosed quote runs to the end of the string), so they are found here first.
 */
function quotingProblem(command: string): string | undefined {
  let quote: "'" | '"' | undefined;
  let quoteAt = 0;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      continue;
    }
    if (c === '\\') {
      if (i === command.length - 1)
        return 'the command ends with a backslash that escapes nothing; remove it or quote it';
      i++;
      continue;
    }
    if (c === '`')
      return 'backticks would run a command substitution in a shell, but no shell runs the command; remove them or put them in single quotes';
    if (quote === '"') {
      if (c === '"') quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      quoteAt = i;
    }
  }
  if (quote)
    return `unbalanced ${quote === "'" ? 'single' : 'double'} quote at character ${quoteAt + 1}: close it, or escape it with a backslash`;
  return undefined;
}
