import { describe, expect, it } from 'vitest';
import { interpolateEnv } from '../../../src/config/interpolate.js';

describe('interpolateEnv', () => {
  it('walks lists and mappings, leaves non-strings alone', () => {
    const r = interpolateEnv(
      { a: ['${X}-1', 2, true, null], b: { c: 'pre ${X} post ${Y:-d}' } },
      { X: 'xx' },
    );
    expect(r.value).toEqual({ a: ['xx-1', 2, true, null], b: { c: 'pre xx post d' } });
    expect(r.problems).toEqual([]);
    expect(r.secrets).toEqual(['xx', 'xx']);
  });

  it('treats an empty variable like an unset one', () => {
    expect(interpolateEnv({ a: '${E}' }, { E: '' }).problems).toHaveLength(1);
    expect(interpolateEnv({ a: '${E:-}' }, { E: '' }).value).toEqual({ a: '' });
  });

  it('paths list items by index', () => {
    expect(interpolateEnv({ l: ['ok', '${MISSING}'] }, {}).problems[0]).toMatch(
      /^l\[1\]: environment variable MISSING/,
    );
  });
});
