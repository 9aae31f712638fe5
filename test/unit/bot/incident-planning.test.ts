import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/bot/alerts/types.js';
import { incidentPrefix, marker, refComponent } from '../../../src/bot/incident/keys.js';
import {
  groupAlerts,
  isStale,
  repositoryOf,
  splitByAction,
} from '../../../src/bot/incident/plan.js';
import { labelMatches } from '../../../src/bot/incident/rules.js';
import { botSection } from '../../../src/config/sections/bot.js';
import { chooseReleases, type LedgerEntry } from '../../../src/github/deployment-ledger.js';

const alert = (labels: Record<string, string>, status: Alert['status'] = 'firing'): Alert => ({
  status,
  labels,
  annotations: {},
  links: [],
});
const entry = (sha: string, state: string | undefined, version?: string): LedgerEntry => ({
  deploymentId: sha.length,
  sha,
  createdAt: '2026-11-23T10:00:00Z',
  state,
  stateAt: '2026-11-23T10:01:00Z',
  version,
});

describe('incident planning', () => {
  it.each([
    [[entry('b', 'success'), entry('a', 'success')], 'b', 'a'],
    [[entry('c', 'failure'), entry('b', 'success'), entry('a', 'inactive')], 'b', 'a'],
    [
      [entry('b', 'success'), entry('b', 'inactive'), entry('a', 'error'), entry('z', 'success')],
      'b',
      'z',
    ],
    [[entry('b', 'in_progress')], undefined, undefined],
    [[entry('b', 'success')], 'b', undefined],
  ])('chooses live and last good from the ledger (%#)', (entries, live, good) => {
    const r = chooseReleases(entries);
    expect(r.live?.sha).toBe(live);
    expect(r.lastGood?.sha).toBe(good);
  });

  it.each([
    [{}, false],
    [{ revision: 'v2' }, false],
    [{ revision: 'v1' }, true],
    [{ version: 'abcdef1' }, false],
    [{ revision: 'abcdef0' }, true],
    [{ revision: 'abc' }, true],
  ])('stale when the alert names another release: %j → %s', (labels, stale) => {
    expect(
      isStale(alert(labels), {
        deploymentId: 1,
        sha: 'abcdef1234',
        createdAt: '',
        since: '',
        version: 'v2',
      }),
    ).toBe(stale);
  });

  it('groups alerts by repository and environment and counts the unmapped', () => {
    const { groups, unmapped } = groupAlerts(
      [
        alert({ repository: 'acme/model', environment: 'production' }),
        alert({ repository: 'acme/model', environment: 'production', x: '1' }),
        alert({ repository: 'acme/model', environment: 'staging' }),
        alert({ repository: 'model' }),
        alert({ repository: '../evil' }),
        alert({}),
      ],
      { repositoryLabel: 'repository', environmentLabel: 'environment' },
    );
    expect(groups.map((g) => [g.owner, g.repo, g.environment, g.alerts.length])).toEqual([
      ['acme', 'model', 'production', 2],
      ['acme', 'model', 'staging', 1],
    ]);
    expect(unmapped).toBe(3);
    expect(repositoryOf('model', 'acme')).toEqual({ owner: 'acme', repo: 'model' });
  });

  it('splits by the repository rules: first match wins, the default is a rollback', () => {
    const config = botSection.parse({
      alerts: [
        { match: { alertname: 'ModelDrift' }, action: 'dispatch', workflow: 'retrain.yml' },
        { match: { severity: '/info|debug/' }, action: 'ignore' },
      ],
    });
    const groups = splitByAction(
      [
        alert({ alertname: 'ModelDrift' }),
        alert({ alertname: 'Err', severity: 'info' }),
        alert({ alertname: 'Err' }, 'resolved'),
      ],
      config,
    );
    expect(groups.map((g) => [g.action, g.status, g.alerts.length])).toEqual([
      [{ kind: 'dispatch', workflow: 'retrain.yml' }, 'firing', 1],
      [{ kind: 'rollback' }, 'resolved', 1],
    ]);
    expect(labelMatches('/crit.*/', 'critical')).toBe(true);
    expect(labelMatches('/crit/', 'critical')).toBe(false);
    expect(labelMatches('/(/', 'x')).toBe(false);
  });

  it('builds ref names that are valid and unique for any environment name', () => {
    expect(refComponent('production')).toBe('production');
    expect(refComponent('eu west/1')).toBe('eu_20west_2f1');
    expect(refComponent('a_b')).not.toBe(refComponent('a/b'));
    const key = {
      owner: 'acme',
      repo: 'model',
      environment: 'prod',
      sha: 'abc',
      action: { kind: 'rollback' } as const,
    };
    expect(incidentPrefix(key)).toBe('model-delivery/incidents/prod/abc/rollback/');
    expect(marker(key, 'revert')).toBe(
      '<!-- model-delivery-incident: acme/model@prod@abc@rollback revert -->',
    );
  });

  it('refuses a dispatch rule without a workflow, naming the fix', () => {
    const r = botSection.safeParse({ alerts: [{ action: 'dispatch' }] });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('workflow: retrain.yml');
  });
});
