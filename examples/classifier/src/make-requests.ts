// Writes data/requests.jsonl: labelled sample requests for load during the gate.
// Usage: tsx src/make-requests.ts (deterministic; the file is committed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { generateDataset } from './dataset.js';

mkdirSync('data', { recursive: true });
const lines = generateDataset(500, 99).map((e) =>
  JSON.stringify({ features: e.features, label: e.label }),
);
writeFileSync('data/requests.jsonl', `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length} requests to data/requests.jsonl`);
