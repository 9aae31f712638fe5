// `{{name}}` templates, shared by the config's validation (config/sections/gate.ts) and
// query rendering (analysis/queries.ts) without either importing the other.

/** Values of the `{{…}}` placeholders in selectors and query templates. */
export interface TemplateVars {
  track: string;
  namespace: string;
  deployment: string;
  version: string;
  /** A Prometheus duration, e.g. `30s`. */
  interval: string;
}

export const TEMPLATE_VARS: readonly (keyof TemplateVars)[] = [
  'track',
  'namespace',
  'deployment',
  'version',
  'interval',
];

export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** Replaces `{{name}}` (spaces allowed inside the braces); an unknown name is an error. */
export function renderTemplate(template: string, vars: TemplateVars): string {
  return template.replace(/\{\{\s*([^}\s]*)\s*\}\}/g, (_, name: string) => {
    if (!(TEMPLATE_VARS as readonly string[]).includes(name)) {
      throw new TemplateError(
        `unknown template variable {{${name}}} in "${template}"; known: ${TEMPLATE_VARS.map((v) => `{{${v}}}`).join(', ')}`,
      );
    }
    return vars[name as keyof TemplateVars];
  });
}
