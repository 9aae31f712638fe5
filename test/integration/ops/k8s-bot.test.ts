// k8s/bot and Containerfile.bot: the properties the issue asks for, and that the pieces
// agree with each other (Service → pods, PDB → pods, Alertmanager → Service, probes →
// Probot's /ping, image user → runAsNonRoot). No API server runs here, and kubectl
// cannot validate a manifest without one, so these are read as YAML.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';

const DIR = join(REPO_ROOT, 'k8s', 'bot');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}
const manifests: Manifest[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) =>
    parseAllDocuments(readFileSync(join(DIR, f), 'utf8')).map((d) => d.toJS() as Manifest),
  );
const byKind = (kind: string) => {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
};

interface Probe {
  httpGet: { path: string; port: string };
}
interface Container {
  ports: { name: string; containerPort: number }[];
  env: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef: { name: string; key: string } };
  }[];
  volumeMounts: { name: string; mountPath: string }[];
  readinessProbe: Probe;
  livenessProbe: Probe;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown>;
}
interface PodSpec {
  automountServiceAccountToken: boolean;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; secret?: { secretName: string; items: { key: string }[] } }[];
}
const deployment = () => {
  const d = byKind('Deployment').spec as {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
  return { ...d, pod: d.template.spec, container: d.template.spec.containers[0]! };
};
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('k8s/bot', () => {
  test('has a Deployment, a Service and a PodDisruptionBudget', () => {
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind}`).sort()).toEqual([
      'apps/v1 Deployment',
      'policy/v1 PodDisruptionBudget',
      'v1 Service',
    ]);
  });

  test('Deployment: 2 replicas, probes on /ping, resources', () => {
    const d = deployment();
    expect(d.replicas).toBe(2);
    expect(matches(d.selector.matchLabels, d.template.metadata.labels)).toBe(true);
    for (const probe of [d.container.readinessProbe, d.container.livenessProbe]) {
      expect(probe.httpGet).toEqual({ path: '/ping', port: 'http' });
    }
    expect(d.container.ports).toEqual([{ name: 'http', containerPort: 3000 }]);
    expect(d.container.env).toContainEqual({ name: 'PORT', value: '3000' });
    expect(Object.keys(d.container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(d.container.resources.limits.memory).toBeDefined();
  });

  test('Deployment: non-root, read-only root filesystem, no service-account token', () => {
    const d = deployment();
    expect(d.pod.automountServiceAccountToken).toBe(false);
    expect(d.pod.securityContext).toEqual(
      expect.objectContaining({ runAsNonRoot: true, runAsUser: 65532 }),
    );
    expect(d.container.securityContext).toEqual(
      expect.objectContaining({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      }),
    );
  });

  test('Deployment: the app key, webhook secret and alert token come from the Secret', () => {
    const d = deployment();
    const fromSecret = Object.fromEntries(
      d.container.env.filter((e) => e.valueFrom).map((e) => [e.name, e.valueFrom!.secretKeyRef]),
    );
    expect(fromSecret['WEBHOOK_SECRET']).toEqual({
      name: 'model-delivery-bot',
      key: 'webhook-secret',
    });
    expect(fromSecret['MODEL_DELIVERY_ALERT_TOKEN']).toEqual({
      name: 'model-delivery-bot',
      key: 'alert-token',
    });
    expect(fromSecret['APP_ID']).toEqual({ name: 'model-delivery-bot', key: 'app-id' });
    // The private key is a mounted file, never an env value.
    const keyPath = d.container.env.find((e) => e.name === 'PRIVATE_KEY_PATH')?.value ?? '';
    const mount = d.container.volumeMounts.find((m) => keyPath.startsWith(`${m.mountPath}/`));
    const volume = d.pod.volumes.find((v) => v.name === mount?.name);
    expect(volume?.secret).toEqual(
      expect.objectContaining({
        secretName: 'model-delivery-bot',
        items: [expect.objectContaining({ key: 'private-key.pem' })],
      }),
    );
    expect(d.container.env.map((e) => e.name)).not.toContain('PRIVATE_KEY');
  });

  test('Service and PodDisruptionBudget select the bot pods', () => {
    const labels = deployment().template.metadata.labels;
    const service = byKind('Service').spec as {
      selector: Record<string, string>;
      ports: { targetPort: string }[];
    };
    expect(matches(service.selector, labels)).toBe(true);
    expect(service.ports[0]?.targetPort).toBe('http');
    const pdb = byKind('PodDisruptionBudget').spec as {
      minAvailable: number;
      selector: { matchLabels: Record<string, string> };
    };
    expect(matches(pdb.selector.matchLabels, labels)).toBe(true);
    expect(pdb.minAvailable).toBeLessThan(deployment().replicas);
  });

  test('Alertmanager posts to this Service', () => {
    const am = parse(readFileSync(join(REPO_ROOT, 'monitoring', 'alertmanager.yml'), 'utf8')) as {
      receivers: { name: string; webhook_configs?: { url: string }[] }[];
    };
    const url = new URL(am.receivers.find((r) => r.webhook_configs)!.webhook_configs![0]!.url);
    expect(url.hostname.split('.')[0]).toBe(byKind('Service').metadata.name);
    expect(url.pathname).toBe('/alerts/alertmanager');
  });
});

describe('Containerfile.bot', () => {
  const text = readFileSync(join(REPO_ROOT, 'Containerfile.bot'), 'utf8');
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'));

  test('runs as the numeric non-root user the Deployment expects, on its port', () => {
    const user = instructions.filter((l) => l.startsWith('USER ')).at(-1);
    expect(user).toBe(`USER 65532:65532`);
    expect(instructions).toContain('EXPOSE 3000');
    expect(instructions.filter((l) => l.startsWith('FROM ')).length).toBeGreaterThanOrEqual(2);
  });

  test('starts the bundled bot and runs no install script at build time', () => {
    expect(instructions.at(-1)).toMatch(/^CMD \["node", "dist\/[\w-]+\.js"\]$/);
    for (const line of instructions.filter((l) => /npm (ci|install|prune)/.test(l)))
      expect(line).toContain('--ignore-scripts');
  });
});
