import { z } from 'zod';
import { botSection } from './sections/bot.js';
import { buildSection } from './sections/build.js';
import { deploySection, stepsAgainstGate } from './sections/deploy.js';
import { gateSection } from './sections/gate.js';
import { lintSection } from './sections/lint.js';
import { notifySection } from './sections/notify.js';
import { trainSection } from './sections/train.js';

export const configSchema = z
  .strictObject({
    version: z.literal(1).default(1).describe('Config format version.'),
    lint: lintSection,
    train: trainSection,
    build: buildSection,
    deploy: deploySection,
    gate: gateSection,
    notify: notifySection,
    bot: botSection,
  })
  .superRefine(stepsAgainstGate)
  .describe('model-delivery configuration (.github/model-delivery.yml).');

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
