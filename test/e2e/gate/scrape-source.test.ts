import { describe } from 'vitest';
import { gateCases } from './gate-cases.js';

// The embedded scrape source reading each track's /metrics; see gate-cases.ts.
describe('gate end to end: scrape source', () => gateCases('scrape'));
