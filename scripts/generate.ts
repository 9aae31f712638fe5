// Regenerates the committed artifacts derived from code: the config JSON Schema and the
// README's config reference. Tests fail when either is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { SCHEMA_PATH, configJsonSchemaText } from '../src/config/json-schema.js';
import { configReferenceMarkdown, replaceReference } from '../src/config/reference.js';

writeFileSync(SCHEMA_PATH, configJsonSchemaText());
const readme = readFileSync('README.md', 'utf8');
writeFileSync('README.md', replaceReference(readme, configReferenceMarkdown()));
console.log(`wrote ${SCHEMA_PATH} and the README's config reference`);
