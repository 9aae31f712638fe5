import { ProbotOctokit } from 'probot';

/**
 * Probot's Octokit with two changes for an alert storm. Throttling is off: it spaces every
 * write one second apart in one queue, so a storm of incidents would wait minutes while the
 * sender times out; GitHub's secondary limit answers 403 + retry-after instead, which the bot
 * turns into 503 so the sender backs off. Retries stay on for reads and idempotent writes,
 * with shorter waits (the sender retries the whole delivery anyway).
 */
export const BotOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object | undefined), enabled: false },
  retry: { ...(options.retry as object | undefined), retries: 2, retryAfterBaseValue: 200 },
}));
