import { z } from 'zod';

/** The bot section; filled in by the issue that builds the bot stage. */
export const botSection = z.strictObject({}).prefault({}).describe('The bot stage (not available yet).');
