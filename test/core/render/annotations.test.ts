import { describe, expect, it } from 'vitest';
import {
  escapeData,
  escapeProperty,
  fileUri,
  renderSarif,
  renderWorkflowCommands,
} from '../../../src/core/render/annotations.js';
import { sarifValidator } from '../../support/sarif.js';

describe('GitHub workflow commands', () => {
  it('escape %, CR and LF in the message, and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    // Other control characters are shown, never written raw (an ESC would reach the log).
    expect(escapeData('a\u001b[31mb')).not.toContain('\u001b');
  });

  it('print one line per annotation that a message cannot break out of', () => {
    const out = renderWorkflowCommands([
      {
        at: { file: 'teams/a,b.yaml', line: 3, col: 5 },
        level: 'error',
        ruleId: 'duplicate-repository',
        message: 'bad\n::error::injected',
      },
      { at: { file: 'x.yaml', line: 1, col: 1 }, level: 'warning', ruleId: 'w', message: 'w' },
      { at: { file: 'x.yaml', line: 2, col: 1 }, level: 'note', ruleId: 'n', message: 'n' },
    ]);
    expect(out.split('\n')).toEqual([
      '::error file=teams/a%2Cb.yaml,line=3,col=5,title=fedctl duplicate-repository::bad%0A::error::injected',
      '::warning file=x.yaml,line=1,col=1,title=fedctl w::w',
      '::notice file=x.yaml,line=2,col=1,title=fedctl n::n',
      '',
    ]);
  });
});

describe('SARIF', () => {
  it('encodes file names as URI references', () => {
    expect(fileUri('teams/a b#1.yaml')).toBe('teams/a%20b%231.yaml');
    expect(fileUri('/abs/x.yaml')).toBe('file:///abs/x.yaml');
  });

  it('is a valid SARIF 2.1.0 log, with a rule per code', () => {
    const log = renderSarif([
      { at: { file: 'a b.yaml', line: 3, col: 5 }, level: 'error', ruleId: 'r1', message: 'm1' },
      { at: { file: 'a b.yaml', line: 4, col: 1 }, level: 'note', ruleId: 'r0', message: 'm2' },
    ]);
    const validate = sarifValidator();
    const data: unknown = JSON.parse(log);
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    expect(data).toMatchObject({
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'fedctl', rules: [{ id: 'r0' }, { id: 'r1' }] } },
          results: [
            { ruleId: 'r1', ruleIndex: 1, level: 'error' },
            { ruleId: 'r0', ruleIndex: 0, level: 'note' },
          ],
        },
      ],
    });
  });

  it('the schema refuses what it must (so the check above can fail)', () => {
    const validate = sarifValidator();
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    const log = JSON.parse(
      renderSarif([
        { at: { file: 'a.yaml', line: 1, col: 1 }, level: 'error', ruleId: 'r', message: 'm' },
      ]),
    ) as { runs: { results: { locations: { physicalLocation: { region: object } }[] }[] }[] };
    const region = log.runs[0]?.results[0]?.locations[0]?.physicalLocation.region;
    Object.assign(region ?? {}, { startColumn: 0 });
    expect(validate(log)).toBe(false);
  });
});
