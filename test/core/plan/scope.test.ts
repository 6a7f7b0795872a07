import { describe, expect, it } from 'vitest';
import { scopeOf } from '../../../src/core/plan/scope.js';

describe('scopeOf', () => {
  it('keeps what is given and leaves out what is not, so equal scopes serialise alike', () => {
    expect(scopeOf({})).toEqual({});
    expect(Object.keys(scopeOf({ only: undefined, jpd: undefined }))).toEqual([]);
    expect(scopeOf({ only: 'libs-*', jpd: undefined })).toEqual({ only: 'libs-*' });
    expect(JSON.stringify(scopeOf({ jpd: 'eu', only: 'libs-*' }))).toBe(
      '{"only":"libs-*","jpd":"eu"}',
    );
  });

  it('takes only the scope from a wider value', () => {
    const request = { only: 'a', jpd: 'b', allowDelete: true };
    expect(scopeOf(request)).toEqual({ only: 'a', jpd: 'b' });
  });
});
