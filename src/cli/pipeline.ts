import type { StageReport } from '../report/store.js';

/**
 * What `model-delivery run` does: the release flow of DESIGN.md. lint → train → build →
 * deploy; when a canary is up, the gate decides: pass → promote, anything else → rollback
 * (the canary is removed, stable untouched). notify always runs last. A stage that is not
 * registered is left out.
 */
export async function runPipeline(options: {
  has: (stage: string) => boolean;
  run: (stage: string) => Promise<StageReport>;
}): Promise<StageReport[]> {
  const reports: StageReport[] = [];
  const step = async (stage: string) => {
    if (!options.has(stage)) return undefined;
    const report = await options.run(stage);
    reports.push(report);
    return report;
  };
  let healthy = true;
  for (const stage of ['lint', 'train', 'build', 'deploy']) {
    const report = await step(stage);
    if (report && report.status !== 'success') {
      healthy = false;
      break;
    }
  }
  const deploy = reports.find((r) => r.stage === 'deploy');
  if (healthy && deploy?.outputs.canary === 'true') {
    const gate = await step('gate');
    await step(gate?.status === 'success' ? 'promote' : 'rollback');
  }
  await step('notify');
  return reports;
}

/** The report that decides the run's result: the first that did not succeed, else the last. */
export function decisiveReport(reports: readonly StageReport[]): StageReport | undefined {
  return reports.find((r) => r.status !== 'success') ?? reports.at(-1);
}
