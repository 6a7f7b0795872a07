import type { OutputStream } from '../../core/io-types.js';
import { safeText } from '../../core/safe-text.js';

/** Live status on a terminal (one line, redrawn); plain lines everywhere else (CI logs). */
export interface Progress {
  /** Replace the status line (terminal only; ignored in plain mode). */
  status(text: string): void;
  /** A permanent line, in both modes. */
  log(line: string): void;
  /** Clear the status line. */
  end(): void;
}

export function createProgress(stream: OutputStream, live: boolean): Progress {
  let shown = false;
  const clear = (): void => {
    if (shown) stream.write('\r\u001b[K');
    shown = false;
  };
  let last = '';
  return {
    // Step titles and failures quote JPDs: shown, never interpreted by the terminal.
    status(text) {
      if (!live) return;
      last = safeText(text);
      clear();
      stream.write(last);
      shown = true;
    },
    log(line) {
      clear();
      stream.write(`${safeText(line)}\n`);
      if (live && last !== '') {
        stream.write(last);
        shown = true;
      }
    },
    end() {
      clear();
      last = '';
    },
  };
}

/** `NO_COLOR` (https://no-color.org) wins; otherwise colour only on a terminal. */
export function useColor(
  stream: OutputStream,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return stream.isTTY === true && (env['NO_COLOR'] ?? '') === '' && env['TERM'] !== 'dumb';
}
