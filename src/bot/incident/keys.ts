/** What an incident does: a rollback, or dispatching another workflow (e.g. retrain). */
export type IncidentAction = { kind: 'rollback' } | { kind: 'dispatch'; workflow: string };

export interface IncidentKey {
  owner: string;
  repo: string;
  environment: string;
  /** The live sha when the alert arrived. */
  sha: string;
  action: IncidentAction;
}

/** Escapes anything outside [A-Za-z0-9-] as `_hh` so any name is a valid, unique ref component. */
export function refComponent(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9-]/.test(c) ? c : `_${byte.toString(16).padStart(2, '0')}`;
  }
  return out || '_';
}

export function actionName(action: IncidentAction): string {
  return action.kind === 'rollback' ? 'rollback' : `dispatch-${refComponent(action.workflow)}`;
}

/** The namespace holding every ref of one incident (ends with `/`, no `refs/`). */
export function incidentPrefix(key: IncidentKey): string {
  return `model-delivery/incidents/${refComponent(key.environment)}/${key.sha}/${actionName(key.action)}/`;
}

/** Human-readable and unique: carried by every comment and pull request the incident writes. */
export function incidentId(key: IncidentKey): string {
  return `${key.owner}/${key.repo}@${key.environment}@${key.sha.slice(0, 12)}@${actionName(key.action)}`;
}

/** A hidden HTML comment that finds the incident's writings again after a crash. */
export function marker(key: IncidentKey, what: 'revert' | 'comment' | 'resolved'): string {
  return `<!-- model-delivery-incident: ${incidentId(key)} ${what} -->`;
}

/**
 * The refs of one incident, each created atomically. Their names are fixed so a replica can
 * test them one by one (`GET /git/ref/...`). They all point at the live sha; what they stand
 * for is found in GitHub too: the revert pull request (or issue) by its marker, run ids in the
 * bodies the incident posts.
 */
export const STEP = {
  claim: 'claim',
  takeover: (n: number) => `takeover-${n}`,
  dispatched: 'dispatched',
  done: 'done',
  resolved: 'resolved',
} as const;
