import { z } from 'zod';
import { DELIVERY_OUTCOMES } from '../../core/pipeline.js';
import { duration } from '../types.js';

const slack = z
  .strictObject({
    // Checked after ${VAR} interpolation; a plain string in the JSON schema, so editors
    // do not flag "${SLACK_WEBHOOK_URL}".
    webhook: z
      .string()
      .refine((v) => v === '' || (/^https?:\/\//.test(v) && URL.canParse(v)), {
        error: 'expected the http(s) URL of a Slack incoming webhook',
      })
      .optional()
      .describe(
        "Incoming-webhook URL. Unset or empty: the action's slack-webhook input, else the SLACK_WEBHOOK_URL env; none of them: no Slack message.",
      ),
    on: z
      .array(z.enum(DELIVERY_OUTCOMES))
      .default(DELIVERY_OUTCOMES.filter((o) => o !== 'checked'))
      .describe(
        'Which delivery outcomes are posted: success (a release became stable), canary (deployed, awaiting the gate), checked (only checks ran), failure, rollback, inconclusive. Default: all but checked.',
      ),
    pullRequests: z
      .boolean()
      .default(false)
      .describe(
        'Post pull request runs to Slack too (their message says which checks ran). Default: pull requests post nothing.',
      ),
    timeout: duration('10s').describe('Time limit of one request to Slack.'),
    retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(3)
      .describe(
        'Retries on 5xx, 429 (after Retry-After) and network errors, with exponential backoff.',
      ),
  })
  .prefault({})
  .describe('Slack: one Block Kit message per delivery, rendered from the stage reports.');

export const notifySection = z
  .strictObject({
    slack,
    prComment: z
      .boolean()
      .default(true)
      .describe(
        'On pull_request events, keep one sticky comment with the training (and gate) report.',
      ),
    htmlReport: z
      .boolean()
      .default(true)
      .describe('Write the self-contained .model-delivery/report.html.'),
    required: z
      .boolean()
      .default(false)
      .describe(
        'When true, a notification that cannot be delivered fails the notify stage; otherwise it is a warning.',
      ),
    timeout: duration('30s').describe(
      'Time limit of a GitHub API call made by the notify stage (the PR comment).',
    ),
  })
  .prefault({})
  .describe('The notify stage: Slack, the sticky pull request comment and the HTML report.');
