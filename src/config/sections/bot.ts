import { z } from 'zod';

/** A matcher on one alert label: an exact value, or `/regex/` (anchored, as in Alertmanager). */
const labelMatchers = z
  .record(z.string().min(1), z.string())
  .describe(
    'Label matchers, all of which must hold: `alertname: ModelDrift` (exact) or `severity: "/critical|page/"` (a regular expression, anchored).',
  );

const alertRule = z
  .strictObject({
    match: labelMatchers.prefault({}),
    action: z
      .enum(['rollback', 'dispatch', 'ignore'])
      .default('rollback')
      .describe(
        '`rollback` opens a revert pull request and dispatches the rollback workflow; `dispatch` only dispatches `workflow` (e.g. a retrain workflow for drift); `ignore` takes no action.',
      ),
    workflow: z
      .string()
      .min(1)
      .optional()
      .describe('The workflow file to dispatch when `action` is `dispatch` (e.g. retrain.yml).'),
  })
  .refine((rule) => rule.action !== 'dispatch' || rule.workflow !== undefined, {
    error: 'action dispatch needs `workflow: <file>` (e.g. workflow: retrain.yml)',
  });

export type BotAlertRule = z.output<typeof alertRule>;

/** The bot section: what the GitHub App does for this repository. */
export const botSection = z
  .strictObject({
    rollbackWorkflow: z
      .string()
      .min(1)
      .default('rollback.yml')
      .describe(
        'Workflow file dispatched for a rollback, with inputs environment, to, reason and incident.',
      ),
    workflowRef: z
      .string()
      .min(1)
      .optional()
      .describe('Branch or tag the workflows are dispatched on (default: the default branch).'),
    autoRevert: z
      .boolean()
      .default(true)
      .describe(
        'Open a revert pull request for the live release when an alert fires (an issue when no pull request can be reverted).',
      ),
    labels: z
      .strictObject({
        revert: z
          .string()
          .min(1)
          .default('model-delivery:revert')
          .describe('Label added to revert pull requests.'),
        incident: z
          .string()
          .min(1)
          .default('model-delivery:incident')
          .describe('Label of the issue opened when no pull request can be reverted.'),
      })
      .prefault({})
      .describe('Labels the bot puts on what it opens.'),
    defaultEnvironment: z
      .string()
      .min(1)
      .default('production')
      .describe(
        'Environment used when an alert (no environment label) or a ChatOps command names none.',
      ),
    alerts: z
      .array(alertRule)
      .default([])
      .describe(
        'Rules tried in order; the first whose matchers all hold decides. An alert no rule matches is a rollback.',
      ),
    chatops: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Answer /rollback, /status and /help.'),
        permission: z
          .enum(['read', 'write', 'admin'])
          .default('write')
          .describe(
            'Least repository permission needed for /rollback (maintain counts as write, triage as read).',
          ),
      })
      .prefault({})
      .describe('ChatOps commands in issue and pull request comments.'),
  })
  .prefault({})
  .describe('The GitHub App (bot): what it does when production alerts fire, and ChatOps.');

export type BotConfig = z.output<typeof botSection>;
