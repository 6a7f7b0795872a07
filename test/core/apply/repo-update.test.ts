import { describe, expect, it } from 'vitest';
import { memberWires } from '../../../src/core/apply/repo-update.js';
import type { MemberTarget } from '../../../src/core/plan/plan.js';

const url = (jpd: string): string => `https://${jpd}.example.com/artifactory/libs`;
const member = (jpd: string, mode: MemberTarget['mode'], enabled = true): MemberTarget => ({
  jpd,
  url: url(jpd),
  mode,
  enabled,
});

describe('memberWires: mode goes out only where it must', () => {
  it('a create sends mode for receivers only', () => {
    expect(memberWires([member('hub', 'bidirectional'), member('eu', 'receiver', false)])).toEqual([
      { url: url('hub'), enabled: true },
      { url: url('eu'), enabled: false, mode: 'receiver' },
    ]);
  });

  it.each<
    [
      string,
      MemberTarget['mode'],
      MemberTarget['mode'] | undefined,
      MemberTarget['mode'] | undefined,
    ]
  >([
    ['stays bidirectional', 'bidirectional', 'bidirectional', undefined],
    ['is new and bidirectional', 'bidirectional', undefined, undefined],
    ['changes away from receiver', 'bidirectional', 'receiver', 'bidirectional'],
    ['stays a receiver', 'receiver', 'receiver', 'receiver'],
    ['becomes a receiver', 'receiver', 'bidirectional', 'receiver'],
  ])('an update of a member that %s sends mode %s', (_what, next, before, sent) => {
    const wires = memberWires(
      [member('eu', next)],
      before === undefined
        ? []
        : [{ url: 'HTTPS://EU.example.com/artifactory/libs/', mode: before }],
    );
    expect(wires[0]?.mode).toBe(sent);
  });
});
