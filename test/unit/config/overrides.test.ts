import { describe, expect, it } from 'vitest';
import { applyOverrides, parseOverride } from '../../../src/config/overrides.js';
import { UsageError } from '../../../src/core/errors.js';

describe('parseOverride', () => {
  it.each([
    ['a.b=1', ['a', 'b'], 1],
    ['a.b=false', ['a', 'b'], false],
    ['a=hello world', ['a'], 'hello world'],
    ['a=[x, y]', ['a'], ['x', 'y']],
    ['a=', ['a'], ''],
    ['a.b=x=y', ['a', 'b'], 'x=y'],
  ])('%s', (text, path, value) => {
    expect(parseOverride(text)).toMatchObject({ path, value });
  });

  it.each(['novalue', '=x', 'a..b=1', 'a b=1'])('rejects %s', (text) => {
    expect(() => parseOverride(text)).toThrow(UsageError);
  });
});

describe('applyOverrides', () => {
  it('creates sections, replaces values, indexes lists, and leaves the input untouched', () => {
    const raw = { train: { command: 'x' }, lint: { commands: ['a', 'b'] } };
    const out = applyOverrides(raw, [
      parseOverride('train.smoke.max_steps=5'),
      parseOverride('lint.commands.1=c'),
    ]);
    expect(out).toEqual({
      train: { command: 'x', smoke: { max_steps: 5 } },
      lint: { commands: ['a', 'c'] },
    });
    expect(raw.lint.commands).toEqual(['a', 'b']);
  });

  it('refuses to descend into a value', () => {
    expect(() =>
      applyOverrides({ train: { command: 'x' } }, [parseOverride('train.command.deep=1')]),
    ).toThrow(/is a value, not a section/);
  });
});
