/** The text of `fedctl sim --help`. */
import { DEFAULT_TOPOLOGY_FILE } from '../io/topology-loader.js';
import { DIALECT_NAMES } from '../sim/state/dialects.js';
import { DEFAULTS } from '../core/cli/defaults.js';
import { DEFAULT_PAIRING_TTL_SECONDS, DEFAULT_TIMINGS } from '../sim/index.js';

export const SIM_HELP = `Usage: fedctl sim [-f FILE | --count N] [options]
       fedctl sim --detach [-f FILE | --count N] [options]
       fedctl sim --stop

Starts simulated JPDs (JFrog Platform Deployments) on loopback: real HTTP servers that behave
like Artifactory federation, for trying fedctl without a real Artifactory. Stops on Ctrl-C.

With -f, starts every JPD the topology names at its URL (http://127.0.0.1:PORT or
http://localhost:PORT). A JPD whose token variable is set uses that token; the others get a
generated one, written as \`export NAME=...\` lines to the env file (mode 0600) to \`source\`.

Options:
  -f, --file FILE              topology file (default: ${DEFAULT_TOPOLOGY_FILE})
      --count N                start N JPDs named jpd1..jpdN instead (tokens JPD1_TOKEN...)
      --port PORT              with --count: port of jpd1, the others follow (default ${DEFAULTS.port};
                               0 picks free ports)
      --write-env FILE         where generated tokens go (default ${DEFAULTS['write-env']})
      --detach                 run in the background: returns once the JPDs listen and the env
                               file is written; output goes to sim.log beside the pid file
      --stop                   stop the simulator started with --detach
      --pid-file FILE          pid file of a detached simulator (default ${DEFAULTS['pid-file']})
      --data-dir DIR           keep state in DIR across restarts (default: memory only)
      --require-pairing        JPDs federate only after Service Trust pairing
                               (default: one circle of trust, no pairing needed)
      --dialect NAMES          play these readings of the API on every JPD (comma-separated,
                               repeatable); --dialect JPD=NAMES for one JPD (replaces the shared
                               list there). Names: ${DIALECT_NAMES.join(', ')}
      --config-lock-rate P     fail a fraction P of repository writes with "Could not merge and
                               save new descriptor" (default 0.3 with --dialect config-lock)
      --config-lock-status N   500 (default) or 400 for those failures
      --latency DUR            delay every response, e.g. 50ms, 1s
      --error-rate P           answer a fraction P (0..1) of requests with an error
      --error-status CODE      429 (with Retry-After) or 503 (default ${DEFAULTS['error-status']})
      --retry-after SECONDS    Retry-After sent with injected errors (default 1 for 429)
      --error-path GLOB        only inject errors on paths matching GLOB (* matches anything)
      --drop-rate P            drop a fraction P of connections without an answer
      --drop-path GLOB         only drop connections on paths matching GLOB
      --event-delay DUR        delay before queued federation events are sent (default ${DEFAULT_TIMINGS.eventDelayMs}ms)
      --full-sync-duration DUR how long a full sync runs (default ${DEFAULT_TIMINGS.fullSyncRunningMs}ms)
      --pairing-ttl DUR        lifetime of pairing tokens (default ${DEFAULT_PAIRING_TTL_SECONDS}s)
      --missing-repo-status N  400 or 404 for GET of a missing repository (default ${DEFAULTS['missing-repo-status']})
      --no-configurations-api  answer 404 on /api/repositories/configurations (before 7.61.3)
  -h, --help                   show this help

Controls of a running JPD (admin token): GET /_sim/state, GET|PUT|DELETE /_sim/faults,
POST /_sim/offline, POST /_sim/online, GET|PUT|DELETE /_sim/connection-overrides.
See docs/simulator.md.
`;
