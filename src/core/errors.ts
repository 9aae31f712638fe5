import { ExitCode, type ExitCodeValue } from './exit-codes.js';

export { ExitCode, type ExitCodeValue } from './exit-codes.js';

/** An error that knows its exit code and a machine-readable reason code. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    readonly exitCode: ExitCodeValue,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A check failed: lint errors, a threshold, a regression (exit 1). */
export class CheckFailedError extends DeliveryError {
  constructor(message: string, reason = 'check_failed', details: Record<string, unknown> = {}) {
    super(message, reason, ExitCode.checkFailed, details);
  }
}

/** Bad command line (exit 2). */
export class UsageError extends DeliveryError {
  constructor(message: string, reason = 'usage') {
    super(message, reason, ExitCode.usage);
  }
}

/** Bad configuration; `problems` lists every problem found, each with its path (exit 2). */
export class ConfigError extends DeliveryError {
  constructor(
    readonly problems: string[],
    reason = 'invalid_config',
  ) {
    super(
      problems.length === 1
        ? `${problems[0]}`
        : `${problems.length} problems in the configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      reason,
      ExitCode.usage,
      { problems },
    );
  }
}

/** The environment is not as needed: a command not found, a timeout, an unreachable service (exit 3). */
export class EnvironmentError extends DeliveryError {
  constructor(message: string, reason = 'environment', details: Record<string, unknown> = {}) {
    super(message, reason, ExitCode.environment, details);
  }
}

/** The one way to turn anything thrown into a message. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}
