import type { z } from 'zod';

type AnySchema = z.core.$ZodType;
interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  shape?: Record<string, AnySchema>;
  valueType?: AnySchema;
  element?: AnySchema;
  options?: AnySchema[];
}
const def = (s: AnySchema) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strips wrappers (default, optional, pipe…) down to the schema that holds the shape. */
function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (;;) {
    const d = def(s);
    if (d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

/** The keys an object schema allows at `path`, for "unknown key" messages. */
export function allowedKeysAt(schema: AnySchema, path: readonly PropertyKey[]): string[] {
  let candidates = [unwrap(schema)];
  for (const key of path) {
    const next: AnySchema[] = [];
    for (const c of candidates) {
      const d = def(c);
      if (d.type === 'object' && d.shape && typeof key === 'string' && d.shape[key])
        next.push(unwrap(d.shape[key]));
      else if (d.type === 'record' && d.valueType) next.push(unwrap(d.valueType));
      else if (d.type === 'array' && d.element) next.push(unwrap(d.element));
    }
    candidates = next.flatMap((s) => {
      const d = def(s);
      return d.type === 'union' && d.options ? d.options.map(unwrap) : [s];
    });
  }
  const keys = new Set<string>();
  for (const c of candidates) {
    const d = def(c);
    if (d.type === 'object' && d.shape) Object.keys(d.shape).forEach((k) => keys.add(k));
  }
  return [...keys];
}
