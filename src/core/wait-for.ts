import { formatDuration } from './duration.js';
import { errorMessage } from './errors.js';

/** Why a wait ended without its condition: the time ran out, or `stopIf` gave a reason. */
export class WaitError extends Error {
  override name = 'WaitError';
  constructor(
    message: string,
    readonly kind: 'timeout' | 'stopped',
    /** The last "not yet": what the check said or threw. */
    readonly last?: string,
  ) {
    super(message);
  }
}

export interface WaitOptions {
  /** What is awaited, for the message (`the canary at http://…/health`). */
  what: string;
  timeoutMs: number;
  /** Pause between tries. */
  intervalMs?: number;
  /** Asked before each try: a reason to stop waiting now (the process exited). */
  stopIf?: () => string | undefined;
}

/**
 * The one wait-until-ready loop of src, demo and tests. `check` answers true when ready;
 * false, a string (the reason) or a throw mean "not yet", and the last reason ends up in
 * the error. Tries at least once, however short the timeout.
 */
export async function waitFor(
  check: () => boolean | string | Promise<boolean | string>,
  options: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last: string | undefined;
  for (;;) {
    const stop = options.stopIf?.();
    if (stop !== undefined)
      throw new WaitError(`gave up waiting for ${options.what}: ${stop}`, 'stopped', last);
    try {
      const answer = await check();
      if (answer === true) return;
      if (typeof answer === 'string') last = answer;
    } catch (e) {
      last = errorMessage(e);
    }
    if (Date.now() >= deadline)
      throw new WaitError(
        `timed out after ${formatDuration(options.timeoutMs)} waiting for ${options.what}${last ? `: ${last}` : ''}`,
        'timeout',
        last,
      );
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
