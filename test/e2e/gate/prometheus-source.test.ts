import { describe } from 'vitest';
import { e2e } from '../../helpers/e2e.js';
import { gateCases } from './gate-cases.js';

// A real Prometheus (Debian's) scraping the tracks every second; see gate-cases.ts.
describe.skipIf(!e2e('prometheus'))('gate end to end: prometheus source', () =>
  gateCases('prometheus'),
);
