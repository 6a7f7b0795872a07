/**
 * `fedctl fmt` without the files: a topology file's text -> its canonical text, or the problems
 * that keep it from being formatted (YAML syntax, nesting, duplicate keys, aliases beyond the
 * limit). The shape is not checked: a file the schema refuses is still formatted, as gofmt and
 * `terraform fmt` format what they can parse.
 */
import type { Issue } from '../errors.js';
import { readYaml } from '../topology/parse-file.js';
import { renderCanonical } from './canonical.js';

export interface Formatted {
  /** The canonical text, when the file could be read. */
  readonly text?: string;
  readonly issues: readonly Issue[];
}

export function formatTopologyText(file: string, text: string): Formatted {
  const read = readYaml(file, text);
  const errors = read.issues.filter((i) => i.severity === 'error');
  if (read.src === undefined || read.data === undefined || errors.length > 0) {
    return { issues: read.issues };
  }
  return { text: renderCanonical(read.src.doc), issues: read.issues };
}
