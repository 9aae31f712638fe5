import { z } from 'zod';

/** The deploy section; filled in by the issue that builds the deploy stage. */
export const deploySection = z.strictObject({}).prefault({}).describe('The deploy stage (not available yet).');
