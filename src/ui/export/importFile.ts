import type { Scenario } from '../../engine/types.ts';
import { parseScenarioText } from '../../engine/scenario/parse.ts';

/** Files larger than this are not scenario files (a 1,048,576-page file is far smaller). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export type ImportResult =
  { ok: true; scenario: Scenario; name: string } | { ok: false; name: string; problems: string[] };

/**
 * Reads a scenario file through the one schema (parseScenarioText), so a file is checked exactly
 * like a link or the command line: its problems come back as "PATH: what is wrong" lines.
 */
export function importScenarioText(name: string, text: string): ImportResult {
  const r = parseScenarioText(text);
  return r.ok ? { ok: true, scenario: r.scenario, name } : { ok: false, name, problems: r.problems };
}

export async function importScenarioFile(file: File): Promise<ImportResult> {
  if (file.size > MAX_FILE_BYTES)
    return {
      ok: false,
      name: file.name,
      problems: [`file: ${Math.round(file.size / 1024 / 1024)} MiB is too large for a scenario file`],
    };
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return {
      ok: false,
      name: file.name,
      problems: [`file: cannot be read (${e instanceof Error ? e.message : String(e)})`],
    };
  }
  return importScenarioText(file.name, text);
}
