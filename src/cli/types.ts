export interface CliIO {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface CliResult {
  stage: string;
  status: 'success' | 'failure' | 'error';
  reason: string;
  message?: string;
  details: Record<string, unknown>;
}
