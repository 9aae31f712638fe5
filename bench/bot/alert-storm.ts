// `npm run bench:bot -- --incidents 100 --duplicates 10 --latency-ms 0 [--parallel 1] [--json]`
// An alert storm against the real bot (Probot Server on loopback) and the GitHub fake (in
// this process): N incidents (each its own repository + environment + live release), each
// delivered M times concurrently, as Alertmanager replicas and retries would (a 5xx is
// retried after 200 ms). `--parallel K` incidents are in flight at once (default 1: the
// latency figures are then per incident, not queueing behind 100 others on one CPU that
// also runs the fake); `--parallel 0` delivers everything at once. Then counts what GitHub
// holds: one revert PR, one dispatch and one comment per incident, nothing more.
import { parseArgs } from 'node:util';
import { Kind, parse } from 'graphql';
import type { CallRecord, GitHubFake } from '../../test/fakes/github/index.js';
import { rejectedBodiesMemory } from './rejected-bodies.js';
import {
  alertmanagerBody,
  botEnv,
  INSTALLATION,
  startBot,
  startFake,
  TOKEN,
  type BotUnderTest,
} from '../../test/integration/bot/harness.js';

interface Options {
  incidents: number;
  duplicates: number;
  latencyMs: number;
  parallel: number;
  json: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      incidents: { type: 'string', default: '100' },
      duplicates: { type: 'string', default: '10' },
      'latency-ms': { type: 'string', default: '0' },
      parallel: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
  });
  const n = (name: string, v: string, min: number) => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < min)
      throw new Error(`--${name}: expected an integer ≥ ${min}, got ${v}`);
    return x;
  };
  return {
    incidents: n('incidents', values.incidents, 1),
    duplicates: n('duplicates', values.duplicates, 1),
    latencyMs: n('latency-ms', values['latency-ms'], 0),
    parallel: n('parallel', values.parallel, 0),
    json: values.json,
  };
}

const ENVS_PER_REPO = 10;

interface Incident {
  repo: string;
  environment: string;
  badPr: number;
}

/** Repositories of up to 10 environments; each environment has its own bad release (its own PR). */
function seed(fake: GitHubFake, count: number): Incident[] {
  const incidents: Incident[] = [];
  const repos: string[] = [];
  for (let i = 0; i < count; i++) {
    const repo = `storm/model-${Math.floor(i / ENVS_PER_REPO)}`;
    const environment = `env-${i % ENVS_PER_REPO}`;
    if (!repos.includes(repo)) {
      repos.push(repo);
      fake.addRepo(repo, { files: { '.github/model-delivery.yml': 'bot: {}\n', 'm.txt': '0' } });
      fake.addWorkflow(repo, 'rollback.yml');
    }
    const good = fake.addPullRequest(repo, {
      title: `good ${environment}`,
      merged: true,
      files: { [`${environment}.txt`]: 'good' },
    });
    const bad = fake.addPullRequest(repo, {
      title: `bad ${environment}`,
      merged: true,
      files: { [`${environment}.txt`]: 'bad' },
    });
    fake.addDeployment(repo, {
      ref: good.pull?.mergeCommitSha as string,
      environment,
      statuses: ['success'],
    });
    fake.addDeployment(repo, {
      ref: bad.pull?.mergeCommitSha as string,
      environment,
      statuses: ['success'],
    });
    incidents.push({ repo, environment, badPr: bad.number });
  }
  fake.addInstallation(INSTALLATION, repos);
  return incidents;
}

/** Delivers like Alertmanager: retried on 5xx or a network error until acknowledged. */
async function deliver(bot: BotUnderTest, incident: Incident): Promise<number> {
  const body = JSON.stringify(
    alertmanagerBody({ repo: incident.repo, environment: incident.environment }),
  );
  const started = performance.now();
  for (let attempt = 0; attempt < 200; attempt++) {
    const res = await fetch(`${bot.url}/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body,
    }).catch(() => undefined);
    await res?.arrayBuffer();
    if (res?.ok) return performance.now() - started;
    if (res && res.status < 500) throw new Error(`delivery refused: HTTP ${res.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('delivery never acknowledged');
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Runs `work` on every item, `parallel` at a time (0: all at once). */
async function inWaves<T>(
  items: T[],
  parallel: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const limit = parallel === 0 ? items.length : parallel;
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(lanes);
}

/** `graphql/<top-level field>` for GraphQL calls (all share one operation id), else the REST one. */
function operationOf(call: CallRecord): string {
  const query = (call.body as { query?: unknown } | undefined)?.query;
  if (call.operationId !== 'graphql' || typeof query !== 'string') return call.operationId ?? '?';
  const op = parse(query).definitions[0];
  const field = op?.kind === Kind.OPERATION_DEFINITION ? op.selectionSet.selections[0] : undefined;
  return `graphql/${field?.kind === Kind.FIELD ? field.name.value : '?'}`;
}

/** Calls per incident by operation, most frequent first. */
function byOperation(calls: readonly CallRecord[], incidents: number): Record<string, number> {
  const counts = new Map<string, number>();
  for (const c of calls) {
    const op = operationOf(c);
    counts.set(op, (counts.get(op) ?? 0) + 1);
  }
  return Object.fromEntries(
    [...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v / incidents)]),
  );
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const o = options();
  const fake = await startFake();
  const bots: BotUnderTest[] = [];
  try {
    // The fake validates each operation the first time it meets it (slow once): warm it up
    // with an incident outside the measurement.
    const [warmup, ...incidents] = seed(fake, o.incidents + 1) as [Incident, ...Incident[]];
    if (o.latencyMs > 0) fake.faults.add({ match: () => true, latencyMs: o.latencyMs });
    // One source sends the whole storm (as one Alertmanager would): no per-source limit here.
    const env = botEnv(fake, { ALERTS_RATE_LIMIT: '1000000' });
    const bot = await startBot(fake, { env });
    bots.push(bot);
    await deliver(bot, warmup);
    fake.clearLog();
    const times: number[] = [];
    const started = performance.now();
    await inWaves(incidents, o.parallel, async (incident) => {
      const t = await Promise.all(
        Array.from({ length: o.duplicates }, () => deliver(bot, incident)),
      );
      times.push(...t);
    });
    const wallMs = performance.now() - started;
    const stormCalls = fake.calls.length;
    const stormByOperation = byOperation(fake.calls, o.incidents);
    const deliveries = times;

    // Duplicates after the storm: to the same replica, then to a fresh one (cold caches).
    fake.clearLog();
    await Promise.all(incidents.map((incident) => deliver(bot, incident)));
    const sameReplicaCalls = fake.calls.length;
    const other = await startBot(fake, { env });
    bots.push(other);
    fake.clearLog();
    await Promise.all(incidents.map((incident) => deliver(other, incident)));
    const otherReplicaCalls = fake.calls.length;

    let revertPullRequests = 0;
    let dispatches = 0;
    let duplicates = 0;
    let lostIncidents = 0;
    for (const incident of incidents) {
      const reverts = fake
        .pullRequests(incident.repo)
        .filter((p) => p.pull?.revertOf === incident.badPr).length;
      const runs = fake.state.dispatches.filter(
        (d) =>
          d.repo.toLowerCase() === incident.repo && d.inputs.environment === incident.environment,
      ).length;
      const comments = fake.comments(incident.repo, incident.badPr).length;
      revertPullRequests += reverts;
      dispatches += runs;
      duplicates += Math.max(0, reverts - 1) + Math.max(0, runs - 1) + Math.max(0, comments - 1);
      if (reverts === 0 || runs === 0 || comments === 0) lostIncidents += 1;
    }
    const sorted = [...times].sort((a, b) => a - b);
    const result = {
      incidents: o.incidents,
      deliveries: deliveries.length,
      revertPullRequests,
      dispatches,
      duplicates,
      lostIncidents,
      apiCallsPerIncident: round(stormCalls / o.incidents),
      apiCallsPerDuplicateDelivery: round(sameReplicaCalls / o.incidents),
      apiCallsPerDuplicateDeliveryOtherReplica: round(otherReplicaCalls / o.incidents),
      p50Ms: round(percentile(sorted, 50), 1),
      p99Ms: round(percentile(sorted, 99), 1),
      latencyMs: o.latencyMs,
      parallel: o.parallel,
      wallMs: round(wallMs, 0),
      invalidRequests: fake.invalidRequests.length,
      unmatchedRequests: fake.unmatchedRequests.length,
      apiCallsPerIncidentByOperation: stormByOperation,
      // The bot alone in a process: RSS idle and after 64 MiB of rejected webhook bodies.
      memory: await rejectedBodiesMemory(fake.url),
    };
    if (o.json) console.log(JSON.stringify(result));
    else {
      for (const [k, v] of Object.entries(result))
        console.log(`${k.padEnd(42)} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
    }
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    await fake.close();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:bot: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
