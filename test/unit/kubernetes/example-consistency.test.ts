import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';

/**
 * The example's Kubernetes files agree with each other: the namespace, names, container,
 * labels and annotations in k8s/, the example config, monitoring/ and docs/setup.md.
 */
const ROOT = join(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const yaml = <T>(path: string) => parseYaml(read(path)) as T;

interface Deployment {
  metadata: { name: string };
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: { containers: Array<{ name: string }> };
    };
  };
}
interface ExampleConfig {
  deploy: {
    environment: string;
    kubernetes: { namespace: string; deployment: string; container: string; manifests: string[] };
  };
}

const config = yaml<ExampleConfig>('examples/classifier/.github/model-delivery.yml');
const deployment = yaml<Deployment>('examples/classifier/k8s/deployment.yaml');
const pod = deployment.spec.template.metadata;
const prometheus = read('monitoring/prometheus.yml');
/** Prometheus' name for a label or annotation key in service discovery meta labels. */
const sdName = (key: string) => key.replace(/[^a-zA-Z0-9_]/g, '_');

describe('the example’s Kubernetes files agree', () => {
  test('the config names the manifest’s namespace, Deployment and container', () => {
    const k8s = config.deploy.kubernetes;
    expect(yaml<{ namespace: string }>('k8s/kustomization.yaml').namespace).toBe(k8s.namespace);
    expect(deployment.metadata.name).toBe(k8s.deployment);
    expect(deployment.spec.template.spec.containers.map((c) => c.name)).toContain(k8s.container);
    expect(k8s.manifests).toEqual(['k8s']);
    expect(readdirSync(join(ROOT, 'examples/classifier/k8s'))).toContain('kustomization.yaml');
    expect(deployment.spec.selector.matchLabels.track).toBe('stable');
  });

  test('the pods carry every label and annotation the Prometheus relabelling reads', () => {
    const labels = [...prometheus.matchAll(/__meta_kubernetes_pod_label_(\w+)/g)].map((m) => m[1]);
    const annotations = [...prometheus.matchAll(/__meta_kubernetes_pod_annotation_(\w+)/g)].map(
      (m) => m[1],
    );
    expect(new Set(labels)).toEqual(new Set(['app', 'track', 'version', 'environment']));
    for (const label of labels) expect(Object.keys(pod.labels).map(sdName)).toContain(label);
    for (const a of annotations) expect(Object.keys(pod.annotations).map(sdName)).toContain(a);
    // The environment the alerts carry is the one deliveries record (deploy.environment).
    expect(pod.labels.environment).toBe(config.deploy.environment);
    expect(pod.annotations['model-delivery/repository']).toMatch(/^[\w.-]+\/[\w.-]+$/);
  });

  test('the alert rules and Alertmanager group by the labels the relabelling sets', () => {
    const rules = readdirSync(join(ROOT, 'monitoring/rules'))
      .filter((f) => f.endsWith('.yml'))
      .map((f) => read(`monitoring/rules/${f}`))
      .join('\n');
    expect(rules).toMatch(/by \(repository, environment/);
    expect(prometheus).toMatch(/target_label: repository/);
    expect(prometheus).toMatch(/target_label: environment/);
    expect(read('monitoring/alertmanager.yml')).toMatch(
      /group_by: \[alertname, repository, environment\]/,
    );
  });

  test('docs/setup.md tells users to add the same annotation and label', () => {
    const setup = read('docs/setup.md');
    expect(setup).toContain('model-delivery/repository');
    expect(setup).toMatch(/`environment`\s+label/);
  });
});
