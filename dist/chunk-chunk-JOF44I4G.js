#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);

// src/core/exit-codes.ts
var ExitCode = {
  success: 0,
  checkFailed: 1,
  usage: 2,
  environment: 3
};

// src/core/errors.ts
var DeliveryError = class extends Error {
  constructor(message, reason, exitCode, details = {}) {
    super(message);
    this.reason = reason;
    this.exitCode = exitCode;
    this.details = details;
    this.name = new.target.name;
  }
  reason;
  exitCode;
  details;
};
var CheckFailedError = class extends DeliveryError {
  constructor(message, reason = "check_failed", details = {}) {
    super(message, reason, ExitCode.checkFailed, details);
  }
};
var UsageError = class extends DeliveryError {
  constructor(message, reason = "usage") {
    super(message, reason, ExitCode.usage);
  }
};
var ConfigError = class extends DeliveryError {
  constructor(problems, reason = "invalid_config") {
    super(
      problems.length === 1 ? `${problems[0]}` : `${problems.length} problems in the configuration:
${problems.map((p) => `  - ${p}`).join("\n")}`,
      reason,
      ExitCode.usage,
      { problems }
    );
    this.problems = problems;
  }
  problems;
};
var EnvironmentError = class extends DeliveryError {
  constructor(message, reason = "environment", details = {}) {
    super(message, reason, ExitCode.environment, details);
  }
};
function errorMessage(e) {
  if (e instanceof Error) return e.message;
  if (typeof e === "string") return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

export {
  ExitCode,
  DeliveryError,
  CheckFailedError,
  UsageError,
  ConfigError,
  EnvironmentError,
  errorMessage
};
