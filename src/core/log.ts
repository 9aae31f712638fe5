import * as core from '@actions/core';
import type { SecretRegistry } from './secrets.js';

export interface Annotation {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

/** Logging for stages: readable locally, grouped and annotated in GitHub Actions. */
export interface Logger {
  info(message: string): void;
  warn(message: string, annotation?: Annotation): void;
  error(message: string, annotation?: Annotation): void;
  debug(message: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export interface LoggerOptions {
  actions: boolean;
  secrets: SecretRegistry;
  /** Where readable lines go; stderr when stdout is reserved for `--json`. */
  stream: NodeJS.WritableStream;
  verbose?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  const { secrets } = options;
  if (options.actions) {
    secrets.onAdd((value) => core.setSecret(value));
    return {
      info: (m) => core.info(secrets.redact(m)),
      warn: (m, a) => core.warning(secrets.redact(m), a),
      error: (m, a) => core.error(secrets.redact(m), a),
      debug: (m) => core.debug(secrets.redact(m)),
      group: (name, fn) => core.group(secrets.redact(name), fn),
    };
  }
  const write = (line: string) => options.stream.write(`${secrets.redact(line)}\n`);
  const where = (a?: Annotation) =>
    a?.file
      ? ` (${a.file}${a.startLine ? `:${a.startLine}` : ''}${a.startColumn ? `:${a.startColumn}` : ''})`
      : '';
  return {
    info: (m) => write(m),
    warn: (m, a) => write(`warning: ${m}${where(a)}`),
    error: (m, a) => write(`error: ${m}${where(a)}`),
    debug: (m) => {
      if (options.verbose) write(`debug: ${m}`);
    },
    group: async (name, fn) => {
      write(`▶ ${name}`);
      return fn();
    },
  };
}

/** A logger that keeps lines in memory; for tests and for capturing sub-steps. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    debug: () => undefined,
    group: async (name, fn) => {
      lines.push(`▶ ${name}`);
      return fn();
    },
  };
}
