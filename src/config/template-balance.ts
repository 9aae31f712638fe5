/**
 * The config's template fields, gate selectors and queries and build tags, checked for
 * balance. Commands and env are not templates: `}}` is ordinary in code.
 */
export function configTemplateProblems(config: {
  gate?: unknown;
  build?: { tags?: unknown };
}): string[] {
  return [
    ...templateProblems(config.gate, ['gate']),
    ...templateProblems(config.build?.tags, ['build', 'tags']),
  ];
}

/**
 * `{{name}}` templates (queries, tags) checked when the config loads: an unclosed
 * `{{track"` or a stray `}}` is a config error with its path, not a query that fails at
 * the gate's first look.
 */
export function templateProblems(value: unknown, path: string[] = []): string[] {
  if (typeof value === 'string') {
    const problem = balanceProblem(value);
    return problem ? [`${path.join('.') || '(root)'}: ${problem}`] : [];
  }
  if (Array.isArray(value))
    return value.flatMap((item, i) => templateProblems(item, [...path, String(i)]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => templateProblems(v, [...path, k]));
  return [];
}

/** Why `text`'s templates are unbalanced, or undefined when every `{{` closes with a name inside. */
export function balanceProblem(text: string): string | undefined {
  let at = 0;
  for (;;) {
    const open = text.indexOf('{{', at);
    const close = text.indexOf('}}', at);
    if (open < 0) {
      return close < 0
        ? undefined
        : `"}}" at character ${close + 1} closes no "{{" in ${JSON.stringify(text)}`;
    }
    if (close >= 0 && close < open)
      return `"}}" at character ${close + 1} closes no "{{" in ${JSON.stringify(text)}`;
    const end = text.indexOf('}}', open + 2);
    const next = text.indexOf('{{', open + 2);
    if (end < 0 || (next >= 0 && next < end))
      return `"{{" at character ${open + 1} is never closed with "}}" in ${JSON.stringify(text)}`;
    const name = text.slice(open + 2, end).trim();
    if (!/^[A-Za-z_][\w.]*$/.test(name))
      return `"{{${text.slice(open + 2, end)}}}" at character ${open + 1} is not a template name such as {{track}}`;
    at = end + 2;
  }
}
