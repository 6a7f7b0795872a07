import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFieldItems } from '../../../src/io/artifactory/json-items.js';

const same = (item: unknown): unknown => item;

describe('parseFieldItems', () => {
  it('parses the items of one member, each on its own, and skips the others', () => {
    const text = `{ "LOCAL": [{"key": "a]}\\"{", "n": [1, {"x": "}"}]}],
      "FEDERATED" : [ {"key": "f1", "members": [{"url": "u", "enabled": true}]} , 2, "s", null ],
      "REMOTE": -1.5e3, "OTHER": true }`;
    const indexes: number[] = [];
    const result = parseFieldItems(text, 'FEDERATED', (item, i) => {
      indexes.push(i);
      return item;
    });
    expect(result).toEqual({
      found: true,
      items: [{ key: 'f1', members: [{ url: 'u', enabled: true }] }, 2, 's', null],
    });
    expect(indexes).toEqual([0, 1, 2, 3]);
  });

  it('finds a member whose name has an escape, and keeps the last of a repeated name', () => {
    expect(parseFieldItems('{"F\\u0045D": [1]}', 'FED', same)).toEqual({
      found: true,
      items: [1],
    });
    expect(parseFieldItems('{"A": [1], "A": [2, 3]}', 'A', same)).toEqual({
      found: true,
      items: [2, 3],
    });
  });

  it('tells a missing member from an empty one', () => {
    expect(parseFieldItems('{"LOCAL": []}', 'FEDERATED', same)).toEqual({ found: false });
    expect(parseFieldItems(' {} ', 'FEDERATED', same)).toEqual({ found: false });
    expect(parseFieldItems('{"FEDERATED": [ ]}', 'FEDERATED', same)).toEqual({
      found: true,
      items: [],
    });
  });

  it.each([
    ['not an object', '[1, 2]'],
    ['the member is not an array', '{"FEDERATED": null}'],
    ['an item that is not JSON', '{"FEDERATED": [{"key": tru}]}'],
    ['an unterminated string', '{"FEDERATED": ["abc]}'],
    ['a missing comma', '{"FEDERATED": [1 2]}'],
    ['text after the object', '{"FEDERATED": [1]} x'],
    ['a truncated body', '{"FEDERATED": [{"key": "a"}'],
    ['an empty body', '   '],
  ])('gives up on %s (the caller then parses the whole body)', (_what, text) => {
    expect(parseFieldItems(text, 'FEDERATED', same)).toBeUndefined();
  });

  it('passes on what the mapper throws', () => {
    expect(() =>
      parseFieldItems('{"FEDERATED": [1]}', 'FEDERATED', () => {
        throw new RangeError('bad item');
      }),
    ).toThrow('bad item');
  });

  it('agrees with JSON.parse on any object (200 runs)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.array(fc.jsonValue()),
        fc.boolean(),
        (others, items, spaced) => {
          const body = { ...others, FEDERATED: items };
          const text = spaced ? JSON.stringify(body, null, 2) : JSON.stringify(body);
          const expected: unknown = JSON.parse(JSON.stringify(items));
          expect(parseFieldItems(text, 'FEDERATED', same)).toEqual({
            found: true,
            items: expected,
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
