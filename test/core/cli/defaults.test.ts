/**
 * Help cannot drift from behaviour: every option the defaults table names shows the table's
 * value in every help text that lists it, and the options parsed with a default take it from the
 * table. A default typed into a help text by hand fails here as soon as the table changes.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULTS, type DefaultedOption } from '../../../src/core/cli/defaults.js';
import * as apply from '../../../src/commands/apply.js';
import * as demo from '../../../src/commands/demo.js';
import * as drift from '../../../src/commands/drift.js';
import * as graph from '../../../src/commands/graph.js';
import * as importCommand from '../../../src/commands/import.js';
import * as plan from '../../../src/commands/plan.js';
import * as show from '../../../src/commands/show.js';
import * as sim from '../../../src/commands/sim.js';
import * as status from '../../../src/commands/status.js';
import * as validate from '../../../src/commands/validate.js';
import { HEALTH_OPTIONS } from '../../../src/commands/options.js';

const HELPS: Record<string, string> = {
  apply: apply.HELP,
  demo: demo.HELP,
  drift: drift.HELP,
  graph: graph.HELP,
  import: importCommand.HELP,
  plan: plan.HELP,
  show: show.HELP,
  sim: sim.HELP,
  status: status.HELP,
  validate: validate.HELP,
};

/** `  -f, --file FILE` or `      --parallelism N`: an option, not a flag named in prose. */
const OPTION_LINE = /^(?: {2}-\w, | {6})--([a-z][a-z-]*)/;

/** Each option of a help text with its description, continuation lines included. */
function optionBlocks(help: string): { flag: string; text: string }[] {
  const blocks: { flag: string; text: string }[] = [];
  for (const line of help.split('\n')) {
    const flag = OPTION_LINE.exec(line)?.[1];
    const last = blocks.at(-1);
    if (flag !== undefined) blocks.push({ flag, text: line });
    else if (last !== undefined && /^\s{8,}\S/.test(line)) last.text += `\n${line}`;
    else if (line.trim() === '' || !line.startsWith(' ')) blocks.push({ flag: '', text: '' });
  }
  return blocks.filter((b) => b.flag !== '');
}

function isDefaulted(flag: string): flag is DefaultedOption {
  return Object.hasOwn(DEFAULTS, flag);
}

describe('the defaults table', () => {
  const shown = new Map<DefaultedOption, string[]>();
  for (const [command, help] of Object.entries(HELPS)) {
    for (const { flag, text } of optionBlocks(help)) {
      if (!isDefaulted(flag)) continue;
      shown.set(flag, [...(shown.get(flag) ?? []), command]);
      it(`fedctl ${command} --help shows --${flag}'s default from the table`, () => {
        const said = /\bdefault:? ([^\s;,)]+?)(?=[\s;,):]|$)/.exec(text)?.[1];
        expect(said, text).toBe(DEFAULTS[flag]);
      });
    }
  }

  it('names no option that no help text shows', () => {
    expect(Object.keys(DEFAULTS).filter((flag) => !shown.has(flag as DefaultedOption))).toEqual([]);
  });

  it('is where the options parsed with a default take it from', () => {
    const parsed = { ...apply.OPTIONS, ...HEALTH_OPTIONS } as Record<string, { default?: unknown }>;
    const defaulted = Object.entries(parsed).filter(
      ([flag, option]) => isDefaulted(flag) && option.default !== undefined,
    );
    expect(defaulted.map(([flag]) => flag).sort()).toEqual([
      'batch-size',
      'jpd-parallelism',
      'max-lag',
      'max-queued',
      'parallelism',
      'verify-grace',
      'verify-timeout',
    ]);
    for (const [flag, option] of defaulted) {
      expect(option.default, flag).toBe(DEFAULTS[flag as DefaultedOption]);
    }
  });
});
