import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_PATH, configJsonSchemaText } from '../../../src/config/json-schema.js';
import { configReferenceMarkdown, replaceReference } from '../../../src/config/reference.js';
import { REPO_ROOT } from '../../helpers/cli.js';

describe('generated files', () => {
  it('the committed JSON Schema matches the zod schema (run `npm run generate` to update it)', () => {
    expect(readFileSync(join(REPO_ROOT, SCHEMA_PATH), 'utf8')).toBe(configJsonSchemaText());
  });

  it("the README's config reference matches the schema (run `npm run generate` to update it)", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toBe(replaceReference(readme, configReferenceMarkdown()));
  });

  it('the schema forbids unknown keys and documents every section', () => {
    const schema = JSON.parse(configJsonSchemaText()) as {
      additionalProperties: boolean;
      properties: Record<string, { description?: string }>;
    };
    expect(schema.additionalProperties).toBe(false);
    for (const section of ['lint', 'train', 'build', 'deploy', 'gate', 'notify', 'bot']) {
      expect(schema.properties[section]?.description, section).toBeTruthy();
    }
  });
});
