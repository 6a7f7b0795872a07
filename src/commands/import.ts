import { parseArgs } from 'node:util';
import { ExitCode, UsageError } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import { checkUrl, isLoopbackHost } from '../core/topology/rules/url-check.js';
import { SPLIT_BY } from '../core/import/split.js';
import {
  importEstate,
  writeImported,
  writeImportedFiles,
  type ImportSource,
} from '../io/import.js';

export const HELP = `Usage: fedctl import --jpd NAME=URL [--jpd NAME=URL ...] [options]

Reads the federated repositories of the JPDs given and writes a topology that
declares them: the JPDs (tokens as \${VAR} references, never values), the trust
pairings the federations imply, and the federations grouped by source, with each
member's mode and enabled flag. \`fedctl plan\` on the result shows no change but
an \`adopt\` per repository that fedctl has never written.

The source of a federation is the member fedctl's record names, else the only
member that sends (the others are receivers). When several members send, it is
--prefer-source if that is one of them, else the first of them in --jpd order,
and the file says so next to it.

Options:
      --jpd NAME=URL         a JPD to read: its name in the topology and its platform
                             base URL (repeatable; at least one)
      --token-env NAME=VAR   the environment variable holding NAME's token
                             (repeatable; default <NAME>_TOKEN, upper case, - as _)
      --out FILE             write the topology to FILE instead of stdout
      --split-by KIND        write a directory (--out DIR, default .) of files instead:
                             jpds.yaml with the JPDs and trust, and one file per source,
                             package-type or prefix (of the repository keys, up to the first
                             - _ or .) with its federations; -f DIR reads them as one topology
      --force                replace FILE if it exists
      --only GLOB            only repositories whose key on their source matches (* and ?)
      --prefer-source NAME   the source of federations in which several members send
      --allow-insecure-http  allow http:// to a host that is not loopback (the token
                             then crosses the network unencrypted)
  -h, --help                 show this help

Members on JPDs not given are left out and listed as skipped, as is anything a
topology cannot express (a key or package type the schema rejects). Exit codes:
0 written, 1 error (an unreachable JPD, a refused token, an existing FILE): then
nothing is written.
`;

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function run(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      jpd: { type: 'string', multiple: true, default: [] },
      'token-env': { type: 'string', multiple: true, default: [] },
      out: { type: 'string' },
      'split-by': { type: 'string' },
      force: { type: 'boolean', default: false },
      only: { type: 'string' },
      'prefer-source': { type: 'string' },
      'allow-insecure-http': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
    strict: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const jpds = importSources(values.jpd, values['token-env'], values['allow-insecure-http']);
  const preferSource = values['prefer-source'];
  if (preferSource !== undefined && !jpds.some((j) => j.name === preferSource)) {
    throw new UsageError(`--prefer-source ${preferSource}: not a JPD given with --jpd`);
  }
  const splitArg = values['split-by'];
  const splitBy = SPLIT_BY.find((s) => s === splitArg);
  if (splitArg !== undefined && splitBy === undefined) {
    throw new UsageError(`--split-by must be ${SPLIT_BY.join(', ')}, not "${splitArg}"`);
  }
  const { text, files, model } = await importEstate(
    {
      jpds,
      ...(splitBy === undefined ? {} : { splitBy }),
      ...(preferSource === undefined ? {} : { preferSource }),
      ...(values.only === undefined ? {} : { only: values.only }),
      ...(values.out === undefined ? {} : { out: values.out }),
    },
    io.env,
    io.cwd,
  );
  if (files !== undefined) await writeImportedFiles(values.out ?? '.', io.cwd, files, values.force);
  else if (values.out === undefined) io.stdout.write(text);
  else await writeImported(values.out, io.cwd, text, values.force);
  for (const s of model.skipped) {
    const member = s.memberUrl === undefined ? '' : ` member ${JSON.stringify(s.memberUrl)}`;
    io.stderr.write(`skipped ${s.jpd}/${JSON.stringify(s.repoKey)}${member}: ${s.reason}\n`);
  }
  const repos = model.federations.reduce((n, f) => n + f.repos.length, 0);
  const feds = model.federations.length;
  io.stderr.write(
    `Imported ${repos} ${repos === 1 ? 'repository' : 'repositories'} in ${feds} ${feds === 1 ? 'federation' : 'federations'} from ${jpds.length} ${jpds.length === 1 ? 'JPD' : 'JPDs'}${model.skipped.length === 0 ? '' : `; ${model.skipped.length} skipped`}${files !== undefined ? `; wrote ${files.length} files to ${values.out ?? '.'}` : values.out === undefined ? '' : `; wrote ${values.out}`}.\n`,
  );
  return ExitCode.Success;
}

/** `--jpd NAME=URL` and `--token-env NAME=VAR`, checked: names, URLs, variables, no duplicates. */
function importSources(
  jpdArgs: readonly string[],
  tokenArgs: readonly string[],
  allowInsecureHttp: boolean,
): ImportSource[] {
  if (jpdArgs.length === 0) throw new UsageError('give at least one --jpd NAME=URL');
  const sources = jpdArgs.map((arg) => {
    const [name, url] = split('jpd', arg, 'NAME=URL');
    if (!NAME.test(name)) {
      throw new UsageError(
        `--jpd ${name}: a JPD name starts with a letter and has only letters, digits, '-' and '_' (at most 63)`,
      );
    }
    const check = checkUrl(url, name, allowInsecureHttp);
    if (check.code === 'insecure-http') {
      throw new UsageError(
        `--jpd ${name}: plain http:// to a non-loopback host would send the token unencrypted; use https://, or --allow-insecure-http`,
      );
    }
    if (check.code !== 'ok') throw new UsageError(`--jpd ${name}: ${check.problem}`);
    const parsed = new URL(check.normalized);
    return {
      name,
      url: check.normalized,
      tokenEnv: `${name.toUpperCase().replace(/-/g, '_')}_TOKEN`,
      // Written only where the topology needs it, so a loopback or https JPD stays plain.
      allowInsecureHttp: parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname),
    };
  });
  const seen = new Map<string, string>();
  for (const s of sources) {
    if (seen.has(s.name)) throw new UsageError(`--jpd ${s.name} is given twice`);
    const other = [...seen].find(([, url]) => url === s.url)?.[0];
    if (other !== undefined) throw new UsageError(`--jpd ${s.name} and ${other} have the same URL`);
    seen.set(s.name, s.url);
  }
  const tokenEnv = new Map<string, string>();
  for (const arg of tokenArgs) {
    const [name, variable] = split('token-env', arg, 'NAME=VAR');
    if (!seen.has(name)) throw new UsageError(`--token-env ${name}: not a JPD given with --jpd`);
    if (!VARIABLE.test(variable)) {
      throw new UsageError(
        `--token-env ${name}: ${JSON.stringify(variable)} is not a variable name`,
      );
    }
    tokenEnv.set(name, variable);
  }
  return sources.map((s) => ({ ...s, tokenEnv: tokenEnv.get(s.name) ?? s.tokenEnv }));
}

function split(flag: string, arg: string, shape: string): [string, string] {
  const at = arg.indexOf('=');
  if (at <= 0 || at === arg.length - 1) {
    throw new UsageError(`--${flag} expects ${shape}, not ${JSON.stringify(arg)}`);
  }
  return [arg.slice(0, at), arg.slice(at + 1)];
}
