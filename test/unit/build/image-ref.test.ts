import { describe, expect, it, test } from 'vitest';
import { classifyRegistryFailure } from '../../../src/builders/failure.js';
import { isLoopbackRegistry, parseDigest, registryOf } from '../../../src/builders/image-ref.js';
import { imageLabels, sourceUrlFromRemote } from '../../../src/builders/labels.js';

test.each([
  ['ghcr.io/org/model', 'ghcr.io'],
  ['127.0.0.1:5000/classifier', '127.0.0.1:5000'],
  ['localhost/model', 'localhost'],
  ['org/model', 'docker.io'],
  ['model', 'docker.io'],
  ['registry.example.com:8443/a/b/c', 'registry.example.com:8443'],
])('registryOf(%s) = %s', (image, registry) => {
  expect(registryOf(image)).toBe(registry);
});

test.each([
  ['127.0.0.1:5000', true],
  ['127.1.2.3', true],
  ['localhost:5000', true],
  ['[::1]:5000', true],
  ['ghcr.io', false],
  ['127.0.0.1.example.com', false],
  ['10.0.0.1:5000', false],
])('isLoopbackRegistry(%s) = %s', (registry, want) => {
  expect(isLoopbackRegistry(registry)).toBe(want);
});

test.each([
  [`sha256:${'a'.repeat(64)}\n`, `sha256:${'a'.repeat(64)}`],
  ['sha256:abc', undefined],
  ['', undefined],
])('parseDigest(%j)', (text, want) => {
  expect(parseDigest(text)).toBe(want);
});

test.each([
  ['git@github.com:octo/model.git', 'https://github.com/octo/model'],
  ['https://github.com/octo/model.git', 'https://github.com/octo/model'],
  ['https://x-access-token:ghs_secret@github.com/octo/model', 'https://github.com/octo/model'],
  ['ssh://git@gitlab.example.com:2222/group/model.git', 'https://gitlab.example.com/group/model'],
  ['/srv/git/model.git', undefined],
  [undefined, undefined],
])('sourceUrlFromRemote(%s) = %s, never with credentials', (remote, want) => {
  expect(sourceUrlFromRemote(remote)).toBe(want);
});

describe('imageLabels', () => {
  it('OCI labels plus one label per finite training metric', () => {
    const labels = imageLabels({
      revision: 'abc',
      version: '1.0',
      created: '2026-01-01T00:00:00.000Z',
      source: 'https://github.com/o/r',
      metrics: { accuracy: 0.91, 'per_class.Cat F1': 0.5, broken: Number.NaN },
    });
    expect(labels).toEqual({
      'org.opencontainers.image.revision': 'abc',
      'org.opencontainers.image.version': '1.0',
      'org.opencontainers.image.created': '2026-01-01T00:00:00.000Z',
      'org.opencontainers.image.source': 'https://github.com/o/r',
      'dev.model-delivery.metrics.accuracy': '0.91',
      'dev.model-delivery.metrics.per_class.cat_f1': '0.5',
    });
  });

  it('no source and no metrics: only what is known', () => {
    expect(Object.keys(imageLabels({ revision: 'a', version: 'b', created: 'c' }))).toEqual([
      'org.opencontainers.image.revision',
      'org.opencontainers.image.version',
      'org.opencontainers.image.created',
    ]);
  });
});

// Lines as buildah 1.28 and docker print them (captured from real runs).
test.each([
  ['Error: logging into "127.0.0.1:33971": invalid username/password', 'unauthorized'],
  [
    'checking whether a blob sha256:2c0c exists in 127.0.0.1:33971/classifier: unauthorized: authentication required',
    'unauthorized',
  ],
  ['denied: requested access to the resource is denied', 'unauthorized'],
  [
    'pinging container registry 127.0.0.1:1: Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused',
    'unreachable',
  ],
  [
    'pinging container registry nope.invalid: Get "https://nope.invalid/v2/": dial tcp: lookup nope.invalid: no such host',
    'unreachable',
  ],
  ['Get "https://127.0.0.1:5000/v2/": http: server gave HTTP response to HTTPS client', 'tls'],
  ['x509: certificate signed by unknown authority', 'tls'],
  ['Error: writing blob: disk quota exceeded', 'other'],
])('classifyRegistryFailure(%j) = %s', (line, kind) => {
  expect(classifyRegistryFailure(['Getting image source signatures', line])).toBe(kind);
});
