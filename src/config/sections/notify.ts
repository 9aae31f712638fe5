import { z } from 'zod';
import { DELIVERY_OUTCOMES } from '../../core/pipeline.js';
import { duration } from '../types.js';

const slack = z
  .strictObject({
    // Checked after ${VAR} interpolation; a plain string in the JSON schema, so editors
    // do not flag "${SLACK_WEBHOOK}".
    webhook: z
      .string()
      .refine((v) => v === '' || (/^https?:\/\//.test(v) && URL.canParse(v)), {
        error: 'expected the http(s) URL of a Slack incoming webhook',
      })
      .optional()
      .describe(
        'Incoming-webhook URL; write "${SLACK_WEBHOOK}" and keep the URL in a secret. Unset or empty: no Slack message.',
      ),
    on: z
      .array(z.enum(DELIVERY_OUTCOMES))
      .default([...DELIVERY_OUTCOMES])
      .describe('Which delivery outcomes are posted: success, failure, rollback, inconclusive.'),
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
