import { parseDuration } from '../core/duration.js';
import type { AlertAuthSettings } from './alerts/auth.js';
import type { AlertMapping } from './incident/plan.js';

/** Everything the bot reads from its environment besides Probot's own variables. */
export interface BotSettings {
  auth: AlertAuthSettings;
  mapping: AlertMapping;
  /** Quiet time after which another replica takes over an unfinished incident. */
  leaseMs: number;
  /** How long a repository's installation and `bot:` config are reused. */
  repoCacheMs: number;
  /** How long an environment's live release is reused (duplicates within it cost no ledger read). */
  ledgerCacheMs: number;
  maxBodyBytes: number;
  slackWebhookUrl: string | undefined;
  /** GitHub API base URL (GitHub Enterprise, tests); undefined: api.github.com. */
  githubApiUrl: string | undefined;
}

export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads and checks the env; every problem is reported at once, never a value. */
export function readBotSettings(env: Record<string, string | undefined>): BotSettings {
  const problems: string[] = [];
  const ms = (name: string, fallback: string) => {
    const v = parseDuration(env[name] ?? fallback);
    if (v === undefined) problems.push(`${name}: expected a duration such as 30s, 5m or 1h`);
    return v ?? 0;
  };
  const value = (name: string) =>
    env[name] === undefined || env[name] === '' ? undefined : env[name];
  const token = value('ALERTS_TOKEN') ?? value('MODEL_DELIVERY_ALERT_TOKEN');
  const user = value('ALERTS_BASIC_USER');
  const password = value('ALERTS_BASIC_PASSWORD');
  if (Boolean(user) !== Boolean(password))
    problems.push('ALERTS_BASIC_USER and ALERTS_BASIC_PASSWORD go together: set both or neither');
  const maxSkewMs = ms('ALERTS_MAX_SKEW', '5m');
  const grafanaSecret = value('GRAFANA_HMAC_SECRET');
  const genericSecret = value('GENERIC_HMAC_SECRET');
  const settings: BotSettings = {
    auth: {
      token,
      basic: user && password ? { username: user, password } : undefined,
      grafanaHmac: grafanaSecret
        ? {
            secret: grafanaSecret,
            header: value('GRAFANA_SIGNATURE_HEADER') ?? 'X-Grafana-Alerting-Signature',
            timestampHeader: value('GRAFANA_TIMESTAMP_HEADER'),
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
    },
    mapping: {
      repositoryLabel: value('ALERTS_REPOSITORY_LABEL') ?? 'repository',
      environmentLabel: value('ALERTS_ENVIRONMENT_LABEL') ?? 'environment',
      defaultOwner: value('ALERTS_DEFAULT_OWNER'),
    },
    leaseMs: ms('BOT_INCIDENT_LEASE', '60s'),
    repoCacheMs: ms('BOT_REPO_CACHE', '60s'),
    ledgerCacheMs: ms('BOT_LEDGER_CACHE', '30s'),
    maxBodyBytes: MAX_BODY_BYTES,
    slackWebhookUrl: value('SLACK_WEBHOOK_URL'),
    githubApiUrl: value('GITHUB_API_URL'),
  };
  if (problems.length > 0) throw new Error(`bot settings: ${problems.join('; ')}`);
  return settings;
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
