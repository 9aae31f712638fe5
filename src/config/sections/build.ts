import { z } from 'zod';

/** The build section; filled in by the issue that builds the build stage. */
export const buildSection = z.strictObject({}).prefault({}).describe('The build stage (not available yet).');
