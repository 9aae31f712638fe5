import { z } from 'zod';

/** The notify section; filled in by the issue that builds the notify stage. */
export const notifySection = z.strictObject({}).prefault({}).describe('The notify stage (not available yet).');
