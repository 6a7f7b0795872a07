/**
 * Lines from stdin for prompts. One readline interface for the whole process: a second interface
 * on the same stream would race the first for buffered input, and closing an interface emits
 * `close` at once, so a reader that closes inside its `line` handler sees end-of-input before the
 * line (the bug behind "typing yes cancels"). End-of-input is reported only on a real `close` of
 * the stream (Ctrl-D on a terminal, EOF on a pipe).
 */
import { createInterface, type Interface } from 'node:readline';

export interface LineReader {
  /** The next line without its newline, or undefined once the input has ended. */
  readLine(): Promise<string | undefined>;
  /** Releases the input so the process can exit. */
  close(): void;
}

export function createLineReader(input: NodeJS.ReadableStream): LineReader {
  let rl: Interface | undefined;
  let ended = false;
  const queued: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  const open = (): Interface => {
    if (rl !== undefined) return rl;
    // terminal: false — the terminal's own line discipline echoes and edits; fedctl reads lines.
    const created = createInterface({ input, terminal: false });
    created.on('line', (line) => {
      const next = waiting.shift();
      if (next === undefined) queued.push(line);
      else next(line);
      // Nobody is asking: stop reading so an idle prompt does not keep the process alive.
      if (waiting.length === 0) created.pause();
    });
    created.on('close', () => {
      ended = true;
      for (const next of waiting.splice(0)) next(undefined);
    });
    rl = created;
    return created;
  };
  return {
    readLine() {
      const line = queued.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (ended) return Promise.resolve(undefined);
      const reader = open();
      return new Promise((resolve) => {
        waiting.push(resolve);
        reader.resume();
      });
    },
    close() {
      rl?.close();
    },
  };
}
