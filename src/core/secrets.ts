/**
 * Values that must never be printed: values read from `${VAR}` in the config, tokens and
 * passwords. Every log line and every JSON result passes through `redact`.
 */
export class SecretRegistry {
  readonly #values = new Set<string>();
  readonly #listeners: Array<(value: string) => void> = [];

  add(value: string | undefined): void {
    // Very short values would redact ordinary words; GitHub's runner makes the same trade-off.
    if (!value || value.length < 4 || this.#values.has(value)) return;
    this.#values.add(value);
    for (const listener of this.#listeners) listener(value);
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
