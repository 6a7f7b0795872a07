import { describe, expect, it } from 'vitest';
import { createProgress, useColor } from '../../../src/io/terminal/progress.js';

const stream = (isTTY: boolean) => {
  let text = '';
  return { write: (s: string) => (text += s), isTTY, text: () => text };
};

describe('progress', () => {
  it('redraws one status line on a terminal and keeps logged lines', () => {
    const s = stream(true);
    const p = createProgress(s, true);
    p.status('Applying: 0/2 done');
    p.status('Applying: 1/2 done');
    p.log('  hub/libs: applied');
    p.end();
    expect(s.text()).toBe(
      'Applying: 0/2 done\r\u001b[KApplying: 1/2 done\r\u001b[K  hub/libs: applied\nApplying: 1/2 done\r\u001b[K',
    );
  });

  it('prints only plain lines elsewhere (CI logs)', () => {
    const s = stream(false);
    const p = createProgress(s, false);
    p.status('Applying: 0/2 done');
    p.log('  hub/libs: applied');
    p.end();
    expect(s.text()).toBe('  hub/libs: applied\n');
  });

  it('uses colour only on a terminal without NO_COLOR', () => {
    expect(useColor(stream(true), {})).toBe(true);
    expect(useColor(stream(false), {})).toBe(false);
    expect(useColor(stream(true), { NO_COLOR: '1' })).toBe(false);
    expect(useColor(stream(true), { TERM: 'dumb' })).toBe(false);
  });
});
