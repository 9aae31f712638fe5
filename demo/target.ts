// What the story needs of a deploy target (issue 17): the same story runs on the local
// target (processes behind a front proxy) and on the kubernetes target (the real kubectl
// against the Kubernetes API stand-in with running pods). Everything that differs between
// the two is behind this interface; the story and its narration are shared.
import type { Cli } from './cli.js';
import type { Narrator } from './narrator.js';

export type DemoTargetName = 'local' | 'kubernetes';
export const DEMO_TARGETS: readonly DemoTargetName[] = ['local', 'kubernetes'];

/** Pids and ports the demo saw, for the "nothing left behind" check. */
export interface ProcessNote {
  name: string;
  pid: number;
  port?: number;
}

/** Where the ledger of releases lives: the GitHub stand-in, as the CLI sees it. */
export interface LedgerAccess {
  token: string;
  apiUrl: string;
  repository: string;
  environment: string;
}

export interface DemoTarget {
  readonly name: DemoTargetName;
  /** The opening line's description of the target. */
  readonly headline: string;
  /** gate.interval with the scrape source (the Prometheus source looks every 4 s on both). */
  readonly scrapeInterval: string;
  /** --set overrides every CLI call gets. */
  overrides(): string[];
  /** Env every CLI call gets. */
  env(): Record<string, string>;
  /** Ends whatever an interrupted earlier run left on this target; returns what it did. */
  cleanSlate(cli: Cli): Promise<string>;
  /** Starts what the target needs (narrated steps). */
  setUp(n: Narrator): Promise<void>;
  /** Lines for the opening: which parts are real, which are stand-ins. */
  realParts(): string[];
  /**
   * v1, the first release: undefined when `model-delivery deploy` puts it on stable by
   * itself; otherwise the target does it (narrated) and records it in the ledger.
   */
  firstRelease?(o: {
    version: string;
    sha: string;
    ledger: LedgerAccess;
    n: Narrator;
  }): Promise<void>;
  /** Before `deploy --version <version>`: extra CLI arguments; `bad` makes the release fail requests. */
  prepareRelease(version: string, bad: boolean): { args: string[]; note?: string };
  /** Where a user reaches the model (GET /version), after a chapter. */
  liveUrl(): string;
  /** host:port of every model process, for Prometheus' file_sd. */
  scrapeTargets(): string[];
  /** Reports each model process it runs (called after every stage). */
  noteProcesses(add: (p: ProcessNote) => void): void;
  /** Records the target's state after a chapter (for run.json). */
  snapshot(chapter: string): void;
  /** What the target recorded, for run.json. */
  facts(): Record<string, unknown>;
  /** Stops everything the target runs; returns a note for the narration. */
  tearDown(cli: Cli | undefined, env: Record<string, string>): Promise<string | undefined>;
}
