/**
 * Property-based tests of the planner, with fast-check: random small topologies (2-5
 * JPDs, 1-5 repositories, modes, enabled flags, pairings) and random live states derived from
 * them (missing repositories, members removed, modes flipped, members disabled, foreign members
 * with or without fedctl's record, undeclared repositories with or without it, descriptions
 * changed). The live state after an apply is computed by a small model that applies each action's
 * effect with the real write logic of src/core/apply/repo-update.ts (what apply sends is exactly
 * `nextRepoWrite` / `createdRepoNotes`), then:
 *
 *   1. applying the plan gives a state that plans to zero changes;
 *   2. the plan touches only what the topology names, or (under --allow-delete) what carries
 *      fedctl's record, and every foreign member and repository survives the apply unchanged;
 *   3. the plan's JSON and text are the same bytes whatever order the inputs come in.
 *
 * fast-check prints the seed and the shrunk counterexample of any failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalizeMemberUrl,
  parseNotes,
  type LiveJpd,
  type LiveMember,
  type LiveRepo,
  type LiveState,
} from '../../../src/core/live/state.js';
import { computePlan, type Action, type Plan } from '../../../src/core/plan/plan.js';
import { renderPlanJson } from '../../../src/core/render/plan-json.js';
import { renderPlanText } from '../../../src/core/render/plan-text.js';
import {
  createdRepoNotes,
  isMemberAction,
  nextRepoWrite,
} from '../../../src/core/apply/repo-update.js';
import { memberUrl, type Topology } from '../../../src/core/topology/model.js';
import { topologyFrom } from '../../support/topology.js';

const RUNS = { numRuns: 200 };
const KEYS = ['libs', 'tools', 'docs', 'web', 'data'] as const;
const MODES = ['receiver', 'bidirectional'] as const;
type Mode = (typeof MODES)[number];

// ---- Topologies -------------------------------------------------------------------------------

interface FedDraft {
  readonly key: string;
  readonly source: number;
  readonly description: string | undefined;
  readonly members: readonly { jpd: number; mode: Mode; enabled: boolean }[];
}
interface TopologyDraft {
  readonly n: number;
  readonly repos: readonly FedDraft[];
  readonly pairings: readonly { source: number; target: number; receivingOnly: boolean }[];
}

const topologyDraft: fc.Arbitrary<TopologyDraft> = fc.integer({ min: 2, max: 5 }).chain((n) =>
  fc
    .record({
      repos: fc.uniqueArray(
        fc.record({
          key: fc.constantFrom(...KEYS),
          source: fc.nat(n - 1),
          description: fc.option(fc.constantFrom('Shared', 'Old text', 'Dépôt ✓'), {
            nil: undefined,
          }),
          slots: fc.array(
            fc.record({
              include: fc.boolean(),
              mode: fc.constantFrom(...MODES),
              enabled: fc.boolean(),
            }),
            { minLength: n, maxLength: n },
          ),
        }),
        { selector: (r) => r.key, minLength: 1, maxLength: 5 },
      ),
      declare: fc.array(fc.record({ pair: fc.boolean(), receivingOnly: fc.boolean() }), {
        minLength: 25,
        maxLength: 25,
      }),
    })
    .map(({ repos, declare }): TopologyDraft => {
      const feds = repos.map((r): FedDraft => {
        let members = r.slots
          .map((s, jpd) => ({ jpd, mode: s.mode, enabled: s.enabled, include: s.include }))
          .filter((m) => m.jpd !== r.source && m.include);
        if (members.length === 0) {
          members = [{ jpd: (r.source + 1) % n, mode: 'receiver', enabled: true, include: true }];
        }
        return {
          key: r.key,
          source: r.source,
          description: r.description,
          members: members.map(({ jpd, mode, enabled }) => ({ jpd, mode, enabled })),
        };
      });
      // A pairing only where a federation uses it, receiving-only only where every member on
      // its target is a receiver and the target sends nothing back: what the rules accept.
      const pairings = [];
      for (let s = 0; s < n; s += 1) {
        for (let t = 0; t < n; t += 1) {
          const used = feds.filter((f) => f.source === s && f.members.some((m) => m.jpd === t));
          const choice = declare[s * 5 + t];
          if (used.length === 0 || choice?.pair !== true) continue;
          const allReceivers = used.every((f) =>
            f.members.every((m) => m.jpd !== t || m.mode === 'receiver'),
          );
          const sendsBack = feds.some((f) => f.source === t && f.members.some((m) => m.jpd === s));
          pairings.push({
            source: s,
            target: t,
            receivingOnly: choice.receivingOnly && allReceivers && !sendsBack,
          });
        }
      }
      return { n, repos: feds, pairings };
    }),
);

const name = (i: number): string => `j${i}`;
const url = (i: number): string => `https://j${i}.example.com`;

/** The draft as a topology file, its lists in the order given (reordering is property 3). */
function yaml(
  draft: TopologyDraft,
  order: (n: number) => number[] = (n) => [...Array(n).keys()],
): string {
  const jpds = order(draft.n).map((i) => `  ${name(i)}: { url: "${url(i)}", token: "\${J${i}}" }`);
  const reposOrder = order(draft.repos.length);
  const feds = reposOrder.map((ri) => {
    const f = draft.repos[ri];
    if (f === undefined) throw new Error('no repository');
    const members = order(f.members.length).map((mi) => {
      const m = f.members[mi];
      if (m === undefined) throw new Error('no member');
      return `      - { jpd: ${name(m.jpd)}, mode: ${m.mode}, enabled: ${String(m.enabled)} }`;
    });
    return [
      `  - source: ${name(f.source)}`,
      '    packageType: generic',
      ...(f.description === undefined ? [] : [`    description: "${f.description}"`]),
      `    repositories: [${f.key}]`,
      '    members:',
      ...members,
    ].join('\n');
  });
  const trust = order(draft.pairings.length).map((pi) => {
    const p = draft.pairings[pi];
    if (p === undefined) throw new Error('no pairing');
    return `  - { source: ${name(p.source)}, target: ${name(p.target)}, receivingOnly: ${String(p.receivingOnly)} }`;
  });
  return [
    'version: 1',
    'jpds:',
    ...jpds,
    ...(trust.length === 0 ? [] : ['trust:', ...trust]),
    'federations:',
    ...feds,
    '',
  ].join('\n');
}

// ---- Live states ------------------------------------------------------------------------------

const FOREIGN_HOSTS = ['https://far.example.org', 'https://other.example.net'];

interface RepoDrift {
  readonly state: 'absent' | 'converged' | 'drifted';
  readonly recorded: boolean;
  readonly description: string | undefined;
  readonly perMember: readonly { drop: boolean; flip: boolean; disable: boolean }[];
  readonly foreign: readonly { host: number; recorded: boolean; mode: Mode }[];
  readonly copies: boolean;
}

const repoDrift: fc.Arbitrary<RepoDrift> = fc.record({
  state: fc.constantFrom('absent', 'converged', 'drifted'),
  recorded: fc.boolean(),
  description: fc.option(fc.constantFrom('Shared', 'Changed on the JPD'), { nil: undefined }),
  perMember: fc.array(
    fc.record({ drop: fc.boolean(), flip: fc.boolean(), disable: fc.boolean() }),
    { minLength: 6, maxLength: 6 },
  ),
  // Unique hosts: a JPD keeps one member per URL.
  foreign: fc.uniqueArray(
    fc.record({ host: fc.nat(1), recorded: fc.boolean(), mode: fc.constantFrom(...MODES) }),
    { maxLength: 2, selector: (f) => f.host },
  ),
  copies: fc.boolean(),
});

interface UndeclaredRepo {
  readonly jpd: number;
  readonly key: string;
  readonly ownRecord: boolean;
}

const undeclared: fc.Arbitrary<UndeclaredRepo[]> = fc.array(
  fc.record({ jpd: fc.nat(4), key: fc.constantFrom('old-a', 'old-b'), ownRecord: fc.boolean() }),
  { maxLength: 3 },
);

function record(members: readonly LiveMember[], source: string): LiveRepo['lastApplied'] {
  return parseNotes(createdRepoNotes(members, source)).lastApplied;
}

/** A live state for the topology: each repository absent, as fedctl left it, or drifted. */
function liveFor(
  topology: Topology,
  drifts: readonly RepoDrift[],
  extra: readonly UndeclaredRepo[],
): LiveState {
  const jpds = new Map<string, LiveJpd>(
    topology.jpds.map((j) => [j.name, { name: j.name, repos: [], otherRepos: [] }]),
  );
  const put = (jpd: string, repo: LiveRepo): void => {
    const at = jpds.get(jpd);
    if (at !== undefined)
      jpds.set(jpd, { ...at, repos: [...at.repos.filter((r) => r.key !== repo.key), repo] });
  };
  const spec = (n: string) => topology.jpds.find((j) => j.name === n);
  topology.repos.forEach((repo, i) => {
    const d = drifts[i];
    const source = spec(repo.source);
    if (d === undefined || d.state === 'absent' || source === undefined) return;
    const self = memberUrl(source.url, repo.key);
    const declared: LiveMember[] = [
      { url: self, mode: 'bidirectional', enabled: true },
      ...repo.members.map((m) => ({
        url: memberUrl(spec(m.jpd)?.url ?? '', m.repoKey),
        mode: m.mode,
        enabled: m.enabled,
      })),
    ];
    const foreign = d.foreign.map((f) => ({
      url: `${FOREIGN_HOSTS[f.host] ?? ''}/artifactory/${repo.key}`,
      mode: f.mode,
      enabled: true,
      recorded: f.recorded,
    }));
    const applied = [...declared, ...foreign.filter((f) => f.recorded)];
    const live =
      d.state === 'converged'
        ? declared
        : declared.flatMap((m, k): LiveMember[] => {
            const p = d.perMember[k];
            if (p === undefined || k === 0) return [m];
            if (p.drop) return [];
            const mode: Mode = p.flip
              ? m.mode === 'receiver'
                ? 'bidirectional'
                : 'receiver'
              : m.mode;
            return [{ ...m, mode, enabled: p.disable ? false : m.enabled }];
          });
    const members = [
      ...live,
      ...foreign.map(({ url: u, mode, enabled }) => ({ url: u, mode, enabled })),
    ];
    const lastApplied = d.recorded ? record(applied, self) : undefined;
    const description = d.state === 'converged' ? repo.description : d.description;
    const liveRepo: LiveRepo = {
      key: repo.key,
      packageType: d.state === 'drifted' ? 'Generic' : 'generic',
      members,
      ...(description === undefined ? {} : { description }),
      ...(lastApplied === undefined ? {} : { lastApplied }),
    };
    put(repo.source, liveRepo);
    // Federation copies the configuration to every member it can reach.
    if (d.copies) {
      for (const m of repo.members) put(m.jpd, { ...liveRepo, key: m.repoKey });
    }
  });
  for (const u of extra) {
    const jpd = topology.jpds[u.jpd % topology.jpds.length];
    if (jpd === undefined || topology.repos.some((r) => r.key === u.key)) continue;
    const self = memberUrl(jpd.url, u.key);
    const members: LiveMember[] = [
      { url: self, mode: 'bidirectional', enabled: true },
      { url: `${FOREIGN_HOSTS[0] ?? ''}/artifactory/${u.key}`, mode: 'receiver', enabled: true },
    ];
    const lastApplied = u.ownRecord ? record(members, self) : undefined;
    put(jpd.name, {
      key: u.key,
      packageType: 'generic',
      members,
      ...(lastApplied === undefined ? {} : { lastApplied }),
    });
  }
  return { jpds: Object.fromEntries(jpds) };
}

const world = topologyDraft.chain((draft) => {
  const topology = topologyFrom(yaml(draft));
  return fc.record({
    draft: fc.constant(draft),
    topology: fc.constant(topology),
    live: fc
      .tuple(
        fc.array(repoDrift, { minLength: topology.repos.length, maxLength: topology.repos.length }),
        undeclared,
      )
      .map(([drifts, extra]) => liveFor(topology, drifts, extra)),
    allowDelete: fc.boolean(),
  });
});

// ---- The model of apply -----------------------------------------------------------------------

/** A small seeded PRNG, so a reordering is reproducible from fast-check's seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The live state after the plan, each action's effect as apply writes it. */
function applyModel(topology: Topology, live: LiveState, plan: Plan): LiveState {
  const jpds = new Map(
    Object.entries(live.jpds).map(([n, j]) => [n, { ...j, repos: [...j.repos] }]),
  );
  const self = (jpd: string, key: string): string =>
    memberUrl(topology.jpds.find((j) => j.name === jpd)?.url ?? '', key);
  const ownerOf = (u: string): string | undefined =>
    topology.jpds.find((j) =>
      normalizeMemberUrl(u).startsWith(`${normalizeMemberUrl(j.url)}/artifactory/`),
    )?.name;
  const put = (jpd: string, repo: LiveRepo): void => {
    const at = jpds.get(jpd);
    if (at !== undefined)
      at.repos = [...at.repos.filter((r) => r.key.toLowerCase() !== repo.key.toLowerCase()), repo];
  };
  const get = (jpd: string, key: string): LiveRepo | undefined =>
    jpds.get(jpd)?.repos.find((r) => r.key.toLowerCase() === key.toLowerCase());
  /** Artifactory pushes the source's configuration to every member copy on a JPD of the topology. */
  const propagate = (repo: LiveRepo, source: string): void => {
    for (const m of repo.members) {
      const owner = ownerOf(m.url);
      if (owner === undefined || normalizeMemberUrl(m.url) === normalizeMemberUrl(source)) continue;
      put(owner, { ...repo, key: m.url.slice(m.url.lastIndexOf('/') + 1) });
    }
  };
  const byRepo = new Map<string, Action[]>();
  for (const a of plan.actions) {
    if (a.type === 'establish-pairing') continue; // trust has no state fedctl can read
    const id = `${a.jpd}/${a.repoKey}`;
    byRepo.set(id, [...(byRepo.get(id) ?? []), a]);
  }
  for (const actions of byRepo.values()) {
    const first = actions[0];
    if (first === undefined || first.type === 'establish-pairing') continue;
    const source = self(first.jpd, first.repoKey);
    if (first.type === 'delete-repository') {
      const at = jpds.get(first.jpd);
      if (at !== undefined) at.repos = at.repos.filter((r) => r.key !== first.repoKey);
      continue;
    }
    if (first.type === 'create-repository') {
      const notes = parseNotes(createdRepoNotes(first.members, source));
      const repo: LiveRepo = {
        key: first.repoKey,
        packageType: first.packageType,
        members: first.members.map((m) => ({ url: m.url, mode: m.mode, enabled: m.enabled })),
        ...(first.description === undefined ? {} : { description: first.description }),
        ...(notes.lastApplied === undefined ? {} : { lastApplied: notes.lastApplied }),
      };
      put(first.jpd, repo);
      propagate(repo, source);
      continue;
    }
    const current = get(first.jpd, first.repoKey);
    if (current === undefined)
      throw new Error(`update of a missing repository ${first.jpd}/${first.repoKey}`);
    const change = plan.changes.find((c) => c.jpd === first.jpd && c.repoKey === first.repoKey);
    const update = actions.find((a) => a.type === 'update-repository');
    // Apply records the topology's `protect` with every write (io/apply/apply.ts).
    const protect = update?.protect?.to ?? current.lastApplied?.protect === true;
    const write = nextRepoWrite(current, actions.filter(isMemberAction), change, source, protect);
    const notes = parseNotes(write.notes);
    const { lastApplied: _old, userNotes: _oldNotes, ...rest } = current;
    const repo: LiveRepo = {
      ...rest,
      members: write.members.map((m) => ({ url: m.url, mode: m.mode, enabled: m.enabled })),
      ...(update?.description === undefined ? {} : { description: update.description.to }),
      ...(notes.lastApplied === undefined ? {} : { lastApplied: notes.lastApplied }),
      ...(notes.userNotes === undefined ? {} : { userNotes: notes.userNotes }),
    };
    put(first.jpd, repo);
    propagate(repo, source);
  }
  return { jpds: Object.fromEntries(jpds) };
}

/**
 * The live state says what the topology says: every declared repository on its source, with its
 * description, the source bidirectional and every declared member in its mode, enabled where
 * the topology wants it enabled (fedctl enables members, it never disables one).
 */
function expectTopologyLive(topology: Topology, live: LiveState): void {
  for (const repo of topology.repos) {
    const actual = live.jpds[repo.source]?.repos.find((r) => r.key === repo.key);
    expect(actual).toBeDefined();
    if (repo.description !== undefined) expect(actual?.description).toBe(repo.description);
    const byUrl = new Map((actual?.members ?? []).map((m) => [normalizeMemberUrl(m.url), m]));
    const url = (jpd: string, key: string): string =>
      normalizeMemberUrl(memberUrl(topology.jpds.find((j) => j.name === jpd)?.url ?? '', key));
    expect(byUrl.get(url(repo.source, repo.key))).toMatchObject({
      mode: 'bidirectional',
      enabled: true,
    });
    for (const m of repo.members) {
      const have = byUrl.get(url(m.jpd, m.repoKey));
      expect(have?.mode).toBe(m.mode);
      if (m.enabled) expect(have?.enabled).toBe(true);
    }
  }
}

// ---- Properties -------------------------------------------------------------------------------

describe('computePlan properties', () => {
  it('applying the plan gives the topology live, and a state that plans to zero changes', () => {
    fc.assert(
      fc.property(world, ({ topology, live, allowDelete }) => {
        const plan = computePlan(topology, live, { allowDelete });
        expect(plan.conflicts).toEqual([]);
        const after = applyModel(topology, live, plan);
        expect(computePlan(topology, after, { allowDelete }).actions).toEqual([]);
        expectTopologyLive(topology, after);
      }),
      RUNS,
    );
  });

  it('touches only what the topology names or fedctl recorded; foreign members and repositories survive', () => {
    fc.assert(
      fc.property(world, ({ topology, live, allowDelete }) => {
        const plan = computePlan(topology, live, { allowDelete });
        const declared = new Set(topology.repos.map((r) => `${r.source}/${r.key}`));
        // Member copies belong to their federation: the source's configuration is pushed there.
        const copies = new Set(
          topology.repos.flatMap((r) => r.members.map((m) => `${m.jpd}/${m.repoKey}`)),
        );
        const pairings = new Set(topology.pairings.map((p) => `${p.source}->${p.target}`));
        for (const a of plan.actions) {
          if (a.type === 'establish-pairing') {
            expect(pairings).toContain(`${a.source}->${a.target}`);
            continue;
          }
          const repo = live.jpds[a.jpd]?.repos.find((r) => r.key === a.repoKey);
          if (a.type === 'delete-repository') {
            expect(allowDelete).toBe(true);
            expect(declared).not.toContain(`${a.jpd}/${a.repoKey}`);
            expect(repo?.lastApplied).toBeDefined();
          } else if (a.type === 'remove-member') {
            expect(allowDelete).toBe(true);
            expect(Object.keys(repo?.lastApplied?.members ?? {})).toContain(
              normalizeMemberUrl(a.member.url),
            );
          } else {
            expect(declared).toContain(`${a.jpd}/${a.repoKey}`);
          }
        }
        // What fedctl never managed is still there after the apply, exactly as it was.
        const after = applyModel(topology, live, plan);
        for (const [jpd, state] of Object.entries(live.jpds)) {
          for (const repo of state.repos) {
            const now = after.jpds[jpd]?.repos.find((r) => r.key === repo.key);
            if (copies.has(`${jpd}/${repo.key}`)) continue;
            if (repo.lastApplied === undefined && !declared.has(`${jpd}/${repo.key}`)) {
              expect(now).toEqual(repo);
              continue;
            }
            const change = plan.changes.find((c) => c.jpd === jpd && c.repoKey === repo.key);
            const desired = new Set(
              (change?.after ?? [])
                .filter((x) => x.jpd !== undefined)
                .map((x) => normalizeMemberUrl(x.url)),
            );
            for (const m of repo.members) {
              const url = normalizeMemberUrl(m.url);
              const recorded = repo.lastApplied?.members[url] !== undefined;
              if (recorded || desired.has(url) || now === undefined) continue;
              expect(now.members).toContainEqual(m);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it('gives the same bytes whatever order the topology and the live state come in', () => {
    fc.assert(
      fc.property(world, fc.integer(), ({ draft, topology, live, allowDelete }, seed) => {
        const random = mulberry32(seed);
        const shuffle = <T>(list: readonly T[]): T[] => {
          const out = [...list];
          for (let i = out.length - 1; i > 0; i -= 1) {
            const j = Math.floor(random() * (i + 1));
            const [x, y] = [out[i], out[j]];
            if (x === undefined || y === undefined) continue;
            out[i] = y;
            out[j] = x;
          }
          return out;
        };
        const reordered = topologyFrom(yaml(draft, (n) => shuffle([...Array(n).keys()])));
        const liveShuffled: LiveState = {
          jpds: Object.fromEntries(
            shuffle(Object.entries(live.jpds)).map(([n, j]) => [
              n,
              { ...j, repos: shuffle(j.repos).map((r) => ({ ...r, members: shuffle(r.members) })) },
            ]),
          ),
        };
        const a = computePlan(topology, live, { allowDelete });
        const b = computePlan(reordered, liveShuffled, { allowDelete });
        expect(renderPlanJson(b)).toBe(renderPlanJson(a));
        expect(renderPlanText(b, { color: false })).toBe(renderPlanText(a, { color: false }));
      }),
      RUNS,
    );
  });
});
