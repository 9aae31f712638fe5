import { readFileSync } from 'node:fs';
import { getPrivateKey } from '@probot/get-private-key';
import { parseDuration } from '../core/duration.js';
import type { AlertAuthSettings } from './alerts/auth.js';
import {
  CREDENTIALS,
  parseBindings,
  type Bindings,
  type CredentialName,
} from './alerts/bindings.js';
import type { AlertMapping } from './incident/plan.js';

/** How much one request may carry and cause (docs/bot.md, "Limits"). */
export interface BotLimits {
  maxBodyBytes: number;
  /** Alerts in one delivery (413 above). */
  maxAlerts: number;
  /** Distinct repositories in one delivery (400 above). */
  maxRepositories: number;
  /** Distinct repository + environment pairs in one delivery (400 above). */
  maxEnvironments: number;
  /** Requests per source address per minute on the alert routes (429 above). */
  perSourcePerMinute: number;
  /** Refused (401/403) requests per source address per minute before every request is 429. */
  refusalsPerSourcePerMinute: number;
  /** ChatOps commands per commenter and repository per minute (more are ignored). */
  commandsPerCommenterPerMinute: number;
}

/** Everything the bot reads from its environment, read once (Probot's variables included). */
export interface BotSettings {
  auth: AlertAuthSettings;
  /** Where each configured alert credential may act. */
  bindings: Bindings;
  mapping: AlertMapping;
  /** Quiet time after which another replica takes over an unfinished incident. */
  leaseMs: number;
  /** How long a repository's installation and `bot:` config are reused. */
  repoCacheMs: number;
  /** How long an environment's live release is reused (duplicates within it cost no ledger read). */
  ledgerCacheMs: number;
  /** Kept for callers of the old field: same as limits.maxBodyBytes. */
  maxBodyBytes: number;
  limits: BotLimits;
  slackWebhookUrl: string | undefined;
  /** GitHub API base URL (GitHub Enterprise, tests); undefined: api.github.com. */
  githubApiUrl: string | undefined;
  server: { port: number; host: string; logLevel: string };
}

/** The GitHub App's own credentials; undefined `appId`: first run, Probot's manifest flow. */
export interface AppCredentials {
  appId: string | undefined;
  privateKey: string | undefined;
  webhookSecret: string | undefined;
}

export const MAX_BODY_BYTES = 1024 * 1024;

type Env = Record<string, string | undefined>;

function reader(env: Env, problems: string[]) {
  const value = (name: string) =>
    env[name] === undefined || env[name] === '' ? undefined : env[name];
  const ms = (name: string, fallback: string) => {
    const v = parseDuration(value(name) ?? fallback);
    if (v === undefined) problems.push(`${name}: expected a duration such as 30s, 5m or 1h`);
    return v ?? 0;
  };
  const count = (name: string, fallback: number) => {
    const text = value(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (Number.isInteger(n) && n > 0) return n;
    problems.push(`${name}: expected a whole number above 0`);
    return fallback;
  };
  return { value, ms, count };
}

/** Reads and checks the env; every problem is reported at once, never a value. */
export function readBotSettings(env: Env): BotSettings {
  const problems: string[] = [];
  const { value, ms, count } = reader(env, problems);
  const token = value('ALERTS_TOKEN') ?? value('MODEL_DELIVERY_ALERT_TOKEN');
  const user = value('ALERTS_BASIC_USER');
  const password = value('ALERTS_BASIC_PASSWORD');
  if (Boolean(user) !== Boolean(password))
    problems.push('ALERTS_BASIC_USER and ALERTS_BASIC_PASSWORD go together: set both or neither');
  const maxSkewMs = ms('ALERTS_MAX_SKEW', '5m');
  const grafanaSecret = value('GRAFANA_HMAC_SECRET');
  const genericSecret = value('GENERIC_HMAC_SECRET');
  // Signed timestamps by default: without one a captured delivery can be replayed forever.
  const grafanaTimestamp = value('GRAFANA_TIMESTAMP_HEADER') ?? 'X-Grafana-Alerting-Timestamp';
  const auth: AlertAuthSettings = {
    token,
    basic: user && password ? { username: user, password } : undefined,
    grafanaHmac: grafanaSecret
      ? {
          secret: grafanaSecret,
          header: value('GRAFANA_SIGNATURE_HEADER') ?? 'X-Grafana-Alerting-Signature',
          timestampHeader: grafanaTimestamp.toLowerCase() === 'none' ? undefined : grafanaTimestamp,
          maxSkewMs,
        }
      : undefined,
    genericHmac: genericSecret
      ? {
          secret: genericSecret,
          header: 'X-Signature-256',
          timestampHeader: 'X-Signature-Timestamp',
          maxSkewMs,
        }
      : undefined,
  };
  const maxBodyBytes = MAX_BODY_BYTES;
  const settings: BotSettings = {
    auth,
    bindings: readBindings(env, auth, problems),
    mapping: {
      repositoryLabel: value('ALERTS_REPOSITORY_LABEL') ?? 'repository',
      environmentLabel: value('ALERTS_ENVIRONMENT_LABEL') ?? 'environment',
      defaultOwner: value('ALERTS_DEFAULT_OWNER'),
    },
    leaseMs: ms('BOT_INCIDENT_LEASE', '60s'),
    repoCacheMs: ms('BOT_REPO_CACHE', '60s'),
    ledgerCacheMs: ms('BOT_LEDGER_CACHE', '30s'),
    maxBodyBytes,
    limits: {
      maxBodyBytes,
      maxAlerts: count('ALERTS_MAX_ALERTS', 200),
      maxRepositories: count('ALERTS_MAX_REPOSITORIES', 10),
      maxEnvironments: count('ALERTS_MAX_ENVIRONMENTS', 20),
      perSourcePerMinute: count('ALERTS_RATE_LIMIT', 300),
      refusalsPerSourcePerMinute: count('ALERTS_REFUSAL_LIMIT', 20),
      commandsPerCommenterPerMinute: count('CHATOPS_RATE_LIMIT', 5),
    },
    slackWebhookUrl: value('SLACK_WEBHOOK_URL'),
    githubApiUrl: value('GITHUB_API_URL'),
    server: {
      port: count('PORT', 3000),
      host: value('HOST') ?? 'localhost',
      logLevel: value('LOG_LEVEL') ?? 'info',
    },
  };
  if (problems.length > 0) throw new Error(`bot settings: ${problems.join('; ')}`);
  return settings;
}

/** `ALERTS_BINDINGS` (inline YAML/JSON) or `ALERTS_BINDINGS_FILE`; every credential set needs one. */
function readBindings(env: Env, auth: AlertAuthSettings, problems: string[]): Bindings {
  const inline = env.ALERTS_BINDINGS || undefined;
  const file = env.ALERTS_BINDINGS_FILE || undefined;
  if (inline && file) problems.push('set ALERTS_BINDINGS or ALERTS_BINDINGS_FILE, not both');
  let text = inline;
  if (file && !inline) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      problems.push('ALERTS_BINDINGS_FILE: the file cannot be read');
    }
  }
  let bindings: Bindings = {};
  if (text !== undefined) {
    const parsed = parseBindings(text);
    if (parsed.ok) bindings = parsed.bindings;
    else problems.push(...parsed.problems.map((p) => `ALERTS_BINDINGS ${p}`));
  }
  const configured: Record<CredentialName, boolean> = {
    ALERTS_TOKEN: Boolean(auth.token),
    ALERTS_BASIC_USER: Boolean(auth.basic),
    GRAFANA_HMAC_SECRET: Boolean(auth.grafanaHmac),
    GENERIC_HMAC_SECRET: Boolean(auth.genericHmac),
  };
  for (const name of CREDENTIALS) {
    if (configured[name] && !bindings[name])
      problems.push(
        `${name} is set but not bound: add it to ALERTS_BINDINGS with the repositories it may act on`,
      );
    if (!configured[name] && bindings[name])
      problems.push(`ALERTS_BINDINGS binds ${name}, which is not set`);
  }
  return bindings;
}

/** Probot's App variables (read separately: a first run has none of them). */
export function readAppCredentials(env: Env): AppCredentials {
  return {
    appId: env.APP_ID || undefined,
    privateKey: getPrivateKey({ env })?.toString(),
    webhookSecret: env.WEBHOOK_SECRET || undefined,
  };
}

/** The secrets among the settings, for masking. */
export function settingSecrets(s: BotSettings): string[] {
  return [
    s.auth.token,
    s.auth.basic?.password,
    s.auth.grafanaHmac?.secret,
    s.auth.genericHmac?.secret,
    s.slackWebhookUrl,
  ].filter((v): v is string => Boolean(v));
}
