/**
 * Semantic checks on a schema-valid file: resolve it into the `Topology`, then run every rule of
 * `rules/index.ts` over it. Issues come back in table order; the parser sorts them by position.
 */
import { InternalError, type Issue, type Severity } from '../errors.js';
import { RULES } from './rules/index.js';
import { resolveTopology } from './rules/resolve.js';
import type { Locate, RuleContext, TopologyRule, YamlPath } from './rules/types.js';
import type { Topology, TopologyDocument } from './model.js';

/** What the parser lends the rules: the environment, and YAML positions. */
export interface RulesInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The severity of `unset-env`: a warning for `validate`, an error for commands that connect. */
  readonly unsetEnv: Severity;
  readonly at: Locate;
  readonly where: RuleContext['where'];
  readonly issue: (
    path: YamlPath,
    code: string,
    message: string,
    severity?: Severity,
    at?: 'key' | 'value',
  ) => Issue;
}

export function checkTopologyRules(
  file: TopologyDocument,
  input: RulesInput,
): { topology: Topology; issues: Issue[] } {
  const { topology, model } = resolveTopology(file, input.at);
  const context: RuleContext = { file, model, env: input.env, at: input.at, where: input.where };
  const severityOverrides: Readonly<Record<string, Severity>> = { 'unset-env': input.unsetEnv };
  const issues = RULES.flatMap((rule) =>
    rule.check(context).map((finding) => {
      const meta = metaOf(rule, finding.code);
      const severity = severityOverrides[meta.code] ?? meta.severity;
      return input.issue(finding.path, meta.code, finding.message, severity, finding.at ?? 'value');
    }),
  );
  return { topology, issues };
}

function metaOf(rule: TopologyRule, code: string | undefined): TopologyRule['meta'][number] {
  if (code === undefined) return rule.meta[0];
  const meta = rule.meta.find((m) => m.code === code);
  // A rule reporting a code it does not declare is a bug in the rule, not in the file.
  if (meta === undefined)
    throw new InternalError(`rule ${rule.meta[0].code} reported undeclared code ${code}`);
  return meta;
}
