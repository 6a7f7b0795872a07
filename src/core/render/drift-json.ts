/**
 * The drift report as JSON, described by schemas/drift-report.schema.json: the drift result as it
 * is, with `formatVersion`. The version changes only when a field changes meaning or disappears.
 */
import type { DriftResult } from '../drift/drift.js';

/** Stable output: keys in the result's fixed order, two-space indentation, trailing newline. */
export function renderDriftJson(result: DriftResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
