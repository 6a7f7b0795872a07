/**
 * The pure part of `fedctl plan`: computePlan and the two renderers, on generated data.
 *
 * Baseline for all of these: one `JSON.parse(JSON.stringify(live))` of the converged live state of
 * the same topology, i.e. the cost of touching every byte of the data once (serialise it and build
 * it again). A planner has to look at every live repository and member at least once, so it cannot
 * reasonably be much cheaper than that; a ratio well above a few units means the planner does far
 * more than one pass over its input. The baseline grows linearly with the data by construction, so
 * comparing the ratio at two sizes shows whether the planner scales like its input (same ratio)
 * or worse (the ratio grows with size).
 */
import { fingerprintInputs } from '../dist/core/plan/fingerprint.js';
import { computePlan } from '../dist/core/plan/plan.js';
import { renderPlanJson } from '../dist/core/render/plan-json.js';
import { renderPlanText } from '../dist/core/render/plan-text.js';
import {
  convergedLiveState,
  emptyLiveState,
  jpdNames,
  topologyFrom,
  topologyYaml,
} from './fixtures.mjs';
import { timePair } from './lib.mjs';

const JPDS = 10;
const MEMBERS = 9;

/** reposTotal repositories, spread evenly over 10 source JPDs, each with 9 members. */
export function plannerInputs(reposTotal) {
  const jpds = jpdNames(JPDS);
  const text = topologyYaml({
    jpds,
    reposPerSource: reposTotal / JPDS,
    membersPerRepo: MEMBERS,
  });
  const topology = topologyFrom(text);
  return {
    text,
    topology,
    converged: convergedLiveState(topology),
    drifted: convergedLiveState(topology, { drift: true }),
    empty: emptyLiveState(topology),
  };
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

const opts = { allowDelete: false };

export async function plannerBenchmarks(record, { samples }) {
  const big = plannerInputs(500);
  const small = plannerInputs(100);
  const repos = big.topology.repos.length;
  const liveRepos = Object.values(big.converged.jpds).reduce((n, j) => n + j.repos.length, 0);
  const sizes = `${repos} repos x ${MEMBERS} members; live: ${JPDS} JPDs, ${liveRepos} repo copies`;

  // Sanity: the benchmark measures what it claims.
  const converged = computePlan(big.topology, big.converged, opts);
  expect(
    converged.actions.length === 0 && converged.conflicts.length === 0,
    `converged live state planned ${converged.actions.length} actions, ${converged.conflicts.length} conflicts`,
  );
  const createAll = computePlan(big.topology, big.empty, opts);
  expect(
    createAll.actions.length === repos &&
      createAll.actions.every((a) => a.type === 'create-repository'),
    `empty live state planned ${createAll.actions.length} actions, expected ${repos} creates`,
  );
  const drift = computePlan(big.topology, big.drifted, opts);
  expect(
    drift.actions.length === repos && drift.actions.every((a) => a.type === 'set-member-mode'),
    `drifted live state planned ${drift.actions.length} actions, expected ${repos} mode changes`,
  );

  // Every planner line has the same baseline: one JSON round trip of a converged live state.
  const againstRoundTrip =
    (live, subject, extra = {}) =>
    () =>
      timePair({
        subject,
        baseline: () => JSON.parse(JSON.stringify(live)),
        samples,
        warmup: 3,
        ...extra,
      });
  const baselineName = 'JSON.parse(JSON.stringify(converged live)) of the same topology';

  await record(
    {
      id: 'plan.converged.500',
      subject: 'computePlan, live state already converged (0 actions)',
      baseline: baselineName,
      size: sizes,
      meaning:
        'cost of proving nothing needs doing, in units of one pass over the live data; compare with plan.converged.100 for scaling',
    },
    againstRoundTrip(big.converged, () => computePlan(big.topology, big.converged, opts)),
  );

  await record(
    {
      id: 'plan.converged.100',
      subject: 'computePlan, converged, 1/5 of the size',
      baseline: `${baselineName} (the 100-repo one)`,
      size: `${small.topology.repos.length} repos x ${MEMBERS} members`,
      meaning:
        'same as plan.converged.500 on a fifth of the data: equal ratios mean linear scaling; a ratio ~5x smaller here means the planner is quadratic in the number of repositories',
    },
    againstRoundTrip(small.converged, () => computePlan(small.topology, small.converged, opts), {
      inner: 3,
    }),
  );

  await record(
    {
      id: 'plan.create-all.500',
      subject: 'computePlan, empty live state (500 creates)',
      baseline: baselineName,
      size: sizes,
      meaning: 'cost of planning a whole estate from scratch (first apply)',
    },
    againstRoundTrip(big.converged, () => computePlan(big.topology, big.empty, opts)),
  );

  await record(
    {
      id: 'plan.drift.500',
      subject: 'computePlan, one member mode changed on every repo (500 set-member-mode)',
      baseline: baselineName,
      size: sizes,
      meaning: 'cost of the diff path (every repository changes), versus one pass over the data',
    },
    againstRoundTrip(big.converged, () => computePlan(big.topology, big.drifted, opts)),
  );

  await record(
    {
      id: 'plan.fingerprints.500',
      subject: 'fingerprintInputs (staleness fingerprints every `fedctl plan` saves), converged',
      baseline: baselineName,
      size: sizes,
      meaning:
        'the other pure pass of `fedctl plan` over the live data (before hashing), versus one pass over it',
    },
    againstRoundTrip(big.converged, () => fingerprintInputs(big.topology, big.converged)),
  );

  await record(
    {
      id: 'render.text.create-all',
      subject: 'renderPlanText of the 500-create plan (no colour)',
      baseline: baselineName,
      size: `${createAll.actions.length} actions, ${createAll.changes.length} changes`,
      meaning: 'cost of showing the biggest plan to a person, versus one pass over the live data',
    },
    againstRoundTrip(big.converged, () => renderPlanText(createAll, { color: false })),
  );

  await record(
    {
      id: 'render.text.drift',
      subject: 'renderPlanText of the 500-mode-change plan (member diffs)',
      baseline: baselineName,
      size: `${drift.actions.length} actions, ${drift.changes.length} changes`,
      meaning: 'the text renderer on its diff path (before/after member lists per repository)',
    },
    againstRoundTrip(big.converged, () => renderPlanText(drift, { color: false })),
  );

  await record(
    {
      id: 'render.json.create-all',
      subject: 'renderPlanJson of the 500-create plan',
      baseline: baselineName,
      size: `${createAll.actions.length} actions, ${createAll.changes.length} changes`,
      meaning:
        'cost of the machine-readable plan (what `plan --out` saves); mostly JSON.stringify, so near or below 1x is expected',
    },
    againstRoundTrip(big.converged, () => renderPlanJson(createAll)),
  );

  // The estate of the scale suite's largest size, 10,000 repositories x 9 members
  // (90,000 edges), to show the planner stays linear and well under a second there.
  const huge = plannerInputs(10_000);
  const hugeEdges = huge.topology.repos.reduce((n, r) => n + r.members.length, 0);
  await record(
    {
      id: 'plan.converged.10000',
      subject: 'computePlan, converged, 10,000 repositories (90,000 edges)',
      baseline: `${baselineName} (the 10,000-repo one)`,
      size: `${huge.topology.repos.length} repos x ${MEMBERS} members = ${hugeEdges} edges`,
      meaning:
        'same ratio as plan.converged.500 means linear in edges; the subject median is the absolute cost at the largest scale',
    },
    againstRoundTrip(huge.converged, () => computePlan(huge.topology, huge.converged, opts), {
      samples: Math.min(samples, 5),
      warmup: 1,
    }),
  );

  return big;
}
