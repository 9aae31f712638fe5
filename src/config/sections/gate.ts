import { z } from 'zod';

/** The gate section; filled in by the issue that builds the gate stage. */
export const gateSection = z.strictObject({}).prefault({}).describe('The gate stage (not available yet).');
