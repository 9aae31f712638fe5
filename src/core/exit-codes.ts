// A leaf: the report data and every layer may import it.

/** Exit codes of every `model-delivery` command. */
export const ExitCode = {
  success: 0,
  checkFailed: 1,
  usage: 2,
  environment: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
