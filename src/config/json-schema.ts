import { z } from 'zod';
import { configSchema } from './schema.js';

export const SCHEMA_PATH = 'schema/model-delivery.schema.json';

/** The JSON Schema editors use for `.github/model-delivery.yml` (what a user may write). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  return {
    ...schema,
    $id: 'https://github.com/model-delivery/model-delivery/schema/model-delivery.schema.json',
    title: 'model-delivery configuration',
  };
}

export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
