/** A release: what is deployed, by exact content. Shared by the targets, the ledger and the bot. */
export interface Release {
  version: string;
  sha: string;
  /** repository:tag, or repository@digest. */
  image: string;
  /** sha256:…, when known. */
  digest?: string;
}
