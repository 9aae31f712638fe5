import { z } from 'zod';
import { MAX_DURATION_MS, parseDuration } from '../core/duration.js';
import { splitCommand } from '../core/split-command.js';

/** `30s`, `10m`, `1h30m` or a number of seconds; parsed to milliseconds. */
export function duration(defaultValue: string) {
  return z
    .union([z.string(), z.number().nonnegative()], {
      error: 'expected a duration such as 30s, 10m or 1h',
    })
    .refine((v) => parseDuration(v) !== undefined, {
      error: 'expected a duration such as 30s, 10m or 1h',
    })
    .refine((v) => (parseDuration(v) ?? 0) <= MAX_DURATION_MS, {
      error: `too long: at most ${MAX_DURATION_MS} ms (24d20h31m23s, written 596h31m23s), the longest timer Node can set`,
    })
    .transform((v) => parseDuration(v) as number)
    .prefault(defaultValue);
}

/**
 * A command: a string split into words like a shell would (quotes and escapes; no shell
 * runs it, so operators, globs and $VAR are refused here), or an argv array.
 */
export const command = z.union(
  [
    z
      .string()
      .min(1)
      .superRefine((value, ctx) => {
        const split = splitCommand(value);
        if ('problem' in split) ctx.addIssue({ code: 'custom', message: split.problem });
      }),
    z.array(z.string()).min(1),
  ],
  { error: 'expected a command: a string such as "npm run lint" or an array of arguments' },
);

/** A number, or a percentage written as "5%". */
export const amount = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?%$/)], {
  error: 'expected a number (absolute) or a percentage such as "5%"',
});
export type Amount = z.infer<typeof amount>;

/** Env for child processes; names as the shell knows them. */
export const envMap = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string());
