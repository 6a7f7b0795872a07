/** The engine judgement and the capability table, from plain readings. */
import { describe, expect, it } from 'vitest';
import { capabilities } from '../../../src/core/doctor/capabilities.js';
import {
  judgeEngine,
  statusFlavour,
  type EngineReadings,
} from '../../../src/core/doctor/engine.js';

describe('judgeEngine', () => {
  it.each<[string, EngineReadings, string]>([
    [
      'a migration in progress wins',
      { migration: { ok: 'MIGRATING_EVENTS_TO_RTFS' }, rtfsStatus: { ok: 200 } },
      'migrating',
    ],
    ['MIGRATION_STARTED', { migration: { ok: 'MIGRATION_STARTED' } }, 'migrating'],
    ['RTFS status answers', { rtfsStatus: { ok: 200 } }, 'rtfs'],
    [
      'RTFS status 405 beats a completed migration',
      { rtfsStatus: { ok: 405 }, migration: { ok: 'MIGRATION_COMPLETED' } },
      'legacy',
    ],
    ['completed migration', { migration: { ok: 'MIGRATION_COMPLETED' } }, 'rtfs'],
    ['the flag', { rtfsFlag: { ok: true } }, 'rtfs'],
    ['not configured', { migration: { ok: 'Status not configured' } }, 'legacy'],
    ['flag false', { rtfsFlag: { ok: false } }, 'legacy'],
    ['legacy endpoints answer', { legacyStatus: { ok: 200 } }, 'legacy'],
    ['legacy endpoints 405', { legacyStatus: { ok: 405 } }, 'rtfs'],
    ['an old version', { version: '7.80.0', migration: { ok: undefined } }, 'legacy'],
    [
      'nothing answered',
      { version: '7.117.5', rtfsStatus: { error: 'x' }, migration: { ok: undefined } },
      'unknown',
    ],
  ])('%s', (_name, readings, engine) => {
    expect(judgeEngine(readings).engine).toBe(engine);
  });

  it('status flavour: v2 from 7.82.2, none when the legacy endpoints are absent', () => {
    expect(statusFlavour('legacy', { version: '7.82.2', legacyStatus: { ok: 200 } })).toBe(
      'legacy-v2',
    );
    expect(statusFlavour('legacy', { version: '7.82.1' })).toBe('legacy-v1');
    expect(statusFlavour('legacy', { version: '7.117.5', legacyStatus: { ok: 404 } })).toBe('none');
    expect(statusFlavour('rtfs', { rtfsStatus: { ok: 200 } })).toBe('rtfs');
    expect(statusFlavour('unknown', {})).toBe('unknown');
  });
});

describe('capabilities', () => {
  const available = (version: string | undefined, engine: 'rtfs' | 'legacy' | 'unknown') =>
    Object.fromEntries(
      capabilities({
        ...(version === undefined ? {} : { version }),
        engine,
        flavour: engine === 'rtfs' ? 'rtfs' : 'legacy-v2',
      }).map((c) => [c.id, c.available]),
    );

  it('each "since" is inclusive', () => {
    expect(available('7.108.3', 'rtfs')).toEqual({
      configurations: 'yes',
      'batch-create': 'yes',
      'batch-update': 'yes',
      'receiver-mode': 'yes',
      'config-sync': 'yes',
      'inconsistent-repos': 'yes',
      'status-api': 'yes',
    });
    expect(available('7.108.2', 'legacy')).toMatchObject({
      'receiver-mode': 'no',
      'inconsistent-repos': 'no',
    });
    expect(available('7.84.2', 'legacy')).toMatchObject({
      'batch-create': 'no',
      configurations: 'yes',
    });
    expect(available('7.61.2', 'legacy')).toMatchObject({ configurations: 'no' });
    expect(available(undefined, 'unknown')).toMatchObject({
      configurations: 'unknown',
      'receiver-mode': 'unknown',
    });
  });

  it('every missing capability says what fedctl does instead', () => {
    for (const c of capabilities({ version: '7.20.0', engine: 'legacy', flavour: 'none' })) {
      if (c.available !== 'yes') expect(c.fallback, c.id).toMatch(/\w/);
    }
  });
});
