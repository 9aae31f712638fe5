/**
 * Values that must never be printed: values read from `${VAR}` in the config, tokens and
 * passwords. Every log line and every JSON result passes through `redact`.
 */
export class SecretRegistry {
  readonly #values = new Set<string>();
  readonly #listeners: Array<(value: string) => void> = [];

  /** Registers `value` and every form a server may echo it in (see secretForms). */
  add(value: string | undefined): void {
    if (!value) return;
    for (const form of secretForms(value)) {
      // Very short values would redact ordinary words; GitHub's runner makes the same trade-off.
      if (form.length < 4 || this.#values.has(form)) continue;
      this.#values.add(form);
      for (const listener of this.#listeners) listener(form);
    }
  }

  /** Called once per secret, including those added before the listener. */
  onAdd(listener: (value: string) => void): void {
    this.#listeners.push(listener);
    for (const value of this.#values) listener(value);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is fully hidden.
    for (const value of [...this.#values].sort((a, b) => b.length - a.length)) {
      out = out.split(value).join('***');
    }
    return out;
  }

  /** Redacts every string inside a JSON-like value. */
  redactDeep<T>(value: T): T {
    return JSON.parse(this.redact(JSON.stringify(value))) as T;
  }
}

/**
 * The forms in which a server may echo a secret back: verbatim; URL-encoded (in a query or
 * a form body); base64 (a `Basic` header built from `user:password`, padded or not); the
 * password of a `user:password` pair alone; and for a secret URL (a Slack webhook), its
 * path and query, which are the secret part and which error messages quote without the host.
 */
export function secretForms(value: string): string[] {
  const parts = new Set([value]);
  const pair = /^([^:\s/]+):(\S+)$/.exec(value);
  if (pair && !/^https?$/i.test(pair[1] as string)) parts.add(pair[2] as string);
  const url = parseHttpUrl(value);
  if (url && url.pathname.length >= 8) {
    parts.add(`${url.pathname}${url.search}`);
    parts.add(url.pathname.slice(1));
    if (url.search.length > 1) parts.add(url.search.slice(1));
  }
  if (url?.password) parts.add(decodeURIComponent(url.password));
  const forms = new Set<string>();
  for (const part of parts) {
    const bytes = Buffer.from(part, 'utf8');
    forms.add(part);
    forms.add(encodeURIComponent(part));
    forms.add(bytes.toString('base64'));
    forms.add(bytes.toString('base64').replace(/=+$/, ''));
    forms.add(bytes.toString('base64url'));
  }
  return [...forms];
}

function parseHttpUrl(value: string): URL | undefined {
  if (!/^https?:\/\//i.test(value.trim())) return undefined;
  try {
    return new URL(value.trim());
  } catch {
    // Not a URL after all: its verbatim forms still cover it.
    return undefined;
  }
}
