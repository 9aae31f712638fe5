import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlertmanager } from '../../../src/bot/alerts/alertmanager.js';
import { parseGeneric } from '../../../src/bot/alerts/generic.js';
import { parseGrafana } from '../../../src/bot/alerts/grafana.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/alerts/${name}`, import.meta.url), 'utf8'));

describe('alert adapters on cited payloads', () => {
  it('parses the Alertmanager v4 body, keeping labels, annotations and links', () => {
    const r = parseAlertmanager(fixture('alertmanager-v4-docs.json'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.alerts).toHaveLength(1);
    const a = r.alerts[0]!;
    expect(a.status).toBe('firing');
    expect(a.labels).toMatchObject({
      repository: 'acme/model',
      environment: 'production',
      revision: 'v2',
    });
    // commonAnnotations fill in what the alert lacks.
    expect(a.annotations.summary).toContain('fails 3 %');
    expect(a.endsAt).toBeUndefined();
    expect(a.links.map((l) => l.title)).toEqual(['Source', 'Alertmanager']);
  });

  it('accepts the fields Alertmanager 0.34 added (notification_reason, routeLabels)', () => {
    const r = parseAlertmanager(fixture('alertmanager-v0.34-resolved.json'));
    expect(r).toMatchObject({
      ok: true,
      alerts: [{ status: 'resolved', endsAt: '2026-11-23T10:25:00Z' }],
    });
  });

  it.each(['grafana-docs-example.json', 'grafana-9.0-valuestring.json'])(
    'parses Grafana %s',
    (name) => {
      const r = parseGrafana(fixture(name));
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.alerts[0]).toMatchObject({
        status: 'firing',
        labels: { alertname: 'High memory usage', zone: 'us-1' },
        annotations: { summary: 'This alert was triggered for zone us-1' },
      });
      // Empty dashboard/panel URLs are dropped; the rule and silence links stay.
      expect(r.alerts[0]!.links.map((l) => l.title)).toEqual(['Rule', 'Silence']);
    },
  );

  it("maps Kapacitor's post body: id → alertname, tags → labels, level → status", () => {
    const r = parseGeneric(fixture('kapacitor-post.json'));
    expect(r).toMatchObject({
      ok: true,
      alerts: [
        {
          status: 'firing',
          labels: {
            alertname: 'ModelAccuracyLow',
            severity: 'critical',
            repository: 'acme/model',
            revision: 'v2',
          },
          annotations: { summary: 'accuracy of acme/model in production is 0.71' },
        },
      ],
    });
    const ok = parseGeneric({ ...(fixture('kapacitor-post.json') as object), level: 'OK' });
    expect(ok).toMatchObject({ ok: true, alerts: [{ status: 'resolved' }] });
  });

  it('parses the generic form, as a list or a single alert', () => {
    expect(parseGeneric(fixture('generic-script.json'))).toMatchObject({
      ok: true,
      alerts: [
        { status: 'firing', labels: { alertname: 'DriftDetected' }, links: [{ title: 'Source' }] },
      ],
    });
    expect(parseGeneric({ status: 'resolved', labels: { alertname: 'X' } })).toMatchObject({
      ok: true,
      alerts: [{ status: 'resolved' }],
    });
  });

  it.each([
    [parseAlertmanager, {}, 'alerts: required (array)'],
    [parseAlertmanager, { version: '3', alerts: [] }, 'version: must be one of "4"'],
    [
      parseAlertmanager,
      { alerts: [{ status: 'firing', labels: { a: 1 } }] },
      'alerts[0].labels.*: expected string',
    ],
    [
      parseAlertmanager,
      { alerts: [{ status: 'pending', labels: {} }] },
      'alerts[0].status: must be one of "firing", "resolved"',
    ],
    [parseGrafana, { alerts: 'x' }, 'alerts: expected array'],
    [parseGeneric, { alerts: [] }, 'alerts: Too small'],
    [parseGeneric, { status: 'firing' }, 'labels: required (record)'],
    [
      parseGeneric,
      { id: 'x', level: 'PANIC' },
      'level: must be one of "OK", "INFO", "WARNING", "CRITICAL"',
    ],
    [parseGeneric, [], '(root): expected object'],
  ] as const)('names the first problem of a malformed body (%#)', (parse, body, problem) => {
    const r = parse(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toContain(problem);
  });
});
