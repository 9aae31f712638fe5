import { describe, expect, it } from 'vitest';
import { bindingAllows, parseBindings } from '../../../src/bot/alerts/bindings.js';
import { readBotSettings } from '../../../src/bot/settings.js';

const acme = { owner: 'acme', repo: 'model' };

describe('bindings', () => {
  it.each([
    [{ repositories: ['acme/model'] }, acme, 'production', true],
    [{ repositories: ['ACME/Model'] }, acme, undefined, true],
    [{ repositories: ['acme/*'] }, { owner: 'acme', repo: 'other' }, 'staging', true],
    [{ repositories: ['acme/*'] }, { owner: 'acmex', repo: 'model' }, 'staging', false],
    [{ repositories: ['acme/model'] }, { owner: 'acme', repo: 'model2' }, undefined, false],
    [{ repositories: ['acme/*'], environments: ['staging'] }, acme, 'staging', true],
    [{ repositories: ['acme/*'], environments: ['staging'] }, acme, 'production', false],
    [{ repositories: ['acme/*'], environments: ['staging'] }, acme, undefined, false],
    [undefined, acme, 'production', false],
  ])('%j allows %j in %s: %s', (binding, repo, env, allowed) => {
    expect(bindingAllows(binding, repo, env)).toBe(allowed);
  });

  it.each([
    ['ALERTS_TOKEN: { repositories: [acme/model] }', true],
    ['{"GRAFANA_HMAC_SECRET": {"repositories": ["acme/*"], "environments": ["production"]}}', true],
    ['ALERTS_TOKEN: { repositories: ["*/*"] }', false],
    ['ALERTS_TOKEN: { repositories: [acme] }', false],
    ['ALERTS_TOKEN: { repositories: [] }', false],
    ['ALERTS_TOKEN: { repositories: [acme/x], teams: [a] }', false],
    ['SOME_TOKEN: { repositories: [acme/x] }', false],
    ['[unclosed', false],
  ])('parses %s: %s', (text, ok) => {
    const parsed = parseBindings(text);
    expect(parsed.ok).toBe(ok);
  });
});

describe('bot settings', () => {
  const base = { ALERTS_TOKEN: 'secret-token-value' };

  it('refuses a credential without a binding, and a binding without its credential, naming no value', () => {
    expect(() => readBotSettings(base)).toThrow(/ALERTS_TOKEN is set but not bound/);
    expect(() =>
      readBotSettings({
        ...base,
        ALERTS_BINDINGS:
          'ALERTS_TOKEN: { repositories: [acme/*] }\nGENERIC_HMAC_SECRET: { repositories: [acme/*] }',
      }),
    ).toThrow(/binds GENERIC_HMAC_SECRET, which is not set/);
    const message = (() => {
      try {
        readBotSettings({
          ...base,
          ALERTS_BINDINGS: 'ALERTS_TOKEN: { repositories: [secret-token-value] }',
        });
        return 'no error';
      } catch (error) {
        return String(error);
      }
    })();
    expect(message).toContain('ALERTS_TOKEN.repositories.0: expected owner/name or owner/*');
    expect(message).not.toContain('secret-token-value');
  });

  it('reads the server, limits and bindings once into one object', () => {
    const s = readBotSettings({
      ...base,
      ALERTS_BINDINGS: 'ALERTS_TOKEN: { repositories: [acme/*] }',
      PORT: '8080',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'debug',
      ALERTS_MAX_ALERTS: '50',
    });
    expect(s.server).toEqual({ port: 8080, host: '0.0.0.0', logLevel: 'debug' });
    expect(s.bindings.ALERTS_TOKEN).toEqual({ repositories: ['acme/*'] });
    expect(s.limits.maxAlerts).toBe(50);
    expect(() => readBotSettings({ ...base, ALERTS_BINDINGS: 'x', PORT: 'eighty' })).toThrow(
      /PORT: expected a whole number/,
    );
  });

  it('gives Grafana a signed timestamp header by default; `none` turns it off', () => {
    const env = {
      GRAFANA_HMAC_SECRET: 'g',
      ALERTS_BINDINGS: 'GRAFANA_HMAC_SECRET: { repositories: [acme/*] }',
    };
    expect(readBotSettings(env).auth.grafanaHmac?.timestampHeader).toBe(
      'X-Grafana-Alerting-Timestamp',
    );
    expect(
      readBotSettings({ ...env, GRAFANA_TIMESTAMP_HEADER: 'none' }).auth.grafanaHmac
        ?.timestampHeader,
    ).toBeUndefined();
  });
});
