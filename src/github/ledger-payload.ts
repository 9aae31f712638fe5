import type { Release } from '../core/release.js';

/**
 * The payload of a GitHub Deployment in the ledger: written by the deploy stage, read back
 * by promote and rollback (github/deployments.ts) and by the bot (github/deployment-ledger.ts).
 */
export interface LedgerPayload {
  image: string;
  digest?: string;
  version: string;
  previousImage?: string;
}

export function ledgerPayload(release: Release, previous: Release | undefined): LedgerPayload {
  return {
    image: release.image,
    version: release.version,
    ...(release.digest ? { digest: release.digest } : {}),
    ...(previous ? { previousImage: previous.image } : {}),
  };
}

/** The payload as an object: GitHub returns it as an object, or as the JSON string it was given. */
function payloadObject(payload: unknown): Record<string, unknown> | undefined {
  let p = payload;
  if (typeof p === 'string') {
    if (!p.trim().startsWith('{')) return undefined;
    try {
      p = JSON.parse(p) as unknown;
    } catch {
      // Not written by model-delivery: the deployment is not one of ours to read.
      return undefined;
    }
  }
  return typeof p === 'object' && p !== null ? (p as Record<string, unknown>) : undefined;
}

/** A payload model-delivery wrote (version and image), or undefined. */
export function readLedgerPayload(payload: unknown): LedgerPayload | undefined {
  const p = payloadObject(payload);
  if (!p) return undefined;
  const { version, image, digest, previousImage } = p;
  if (typeof version !== 'string' || typeof image !== 'string') return undefined;
  return {
    version,
    image,
    ...(typeof digest === 'string' ? { digest } : {}),
    ...(typeof previousImage === 'string' ? { previousImage } : {}),
  };
}

/** What to call a deployment's release: its version, else its image (older payloads). */
export function payloadVersion(payload: unknown): string | undefined {
  const p = payloadObject(payload);
  if (typeof p?.version === 'string') return p.version;
  return typeof p?.image === 'string' ? p.image : undefined;
}
