import { parse } from 'yaml';
import { z } from 'zod';

/** The env variables that hold an alert credential; a binding names the credential by them. */
export const CREDENTIALS = [
  'ALERTS_TOKEN',
  'ALERTS_BASIC_USER',
  'GRAFANA_HMAC_SECRET',
  'GENERIC_HMAC_SECRET',
] as const;
export type CredentialName = (typeof CREDENTIALS)[number];

/** Where one credential may act: repositories (`owner/name` or `owner/*`), optionally environments. */
export interface Binding {
  repositories: string[];
  /** Undefined: any environment of those repositories. */
  environments?: string[];
}

export type Bindings = Partial<Record<CredentialName, Binding>>;

const PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\/(\*|[A-Za-z0-9][A-Za-z0-9_.-]{0,99})$/;

const bindingSchema = z.strictObject({
  repositories: z
    .array(z.string().regex(PATTERN, 'expected owner/name or owner/*'))
    .min(1, 'name at least one repository'),
  environments: z.array(z.string().min(1)).min(1).optional(),
});

const bindingsSchema = z.partialRecord(z.enum(CREDENTIALS), bindingSchema);

/**
 * Pure: the binding text (`ALERTS_BINDINGS`, JSON or YAML) as bindings, or the problems found.
 * A problem names the place, never a value.
 */
export function parseBindings(
  text: string,
): { ok: true; bindings: Bindings } | { ok: false; problems: string[] } {
  let raw: unknown;
  try {
    raw = parse(text, { uniqueKeys: true });
  } catch {
    return { ok: false, problems: ['not valid YAML or JSON'] };
  }
  const parsed = bindingsSchema.safeParse(raw);
  if (parsed.success) return { ok: true, bindings: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => {
      const where = i.path.map(String).join('.') || '(top level)';
      const why =
        i.code === 'invalid_key'
          ? `keys are credential variables: ${CREDENTIALS.join(', ')}`
          : i.code === 'unrecognized_keys'
            ? 'only repositories and environments are allowed'
            : i.message;
      return `${where}: ${why}`;
    }),
  };
}

/** Pure: whether `binding` lets its credential act on `repository` (`owner/name`) in `environment`. */
export function bindingAllows(
  binding: Binding | undefined,
  repository: { owner: string; repo: string },
  environment: string | undefined,
): boolean {
  if (!binding) return false;
  const owner = repository.owner.toLowerCase();
  const full = `${owner}/${repository.repo.toLowerCase()}`;
  const repoOk = binding.repositories.some((p) => {
    const pattern = p.toLowerCase();
    return pattern === full || pattern === `${owner}/*`;
  });
  if (!repoOk) return false;
  // A binding limited to environments needs the alert to name one: no guessing a default.
  return (
    !binding.environments ||
    (environment !== undefined && binding.environments.includes(environment))
  );
}
