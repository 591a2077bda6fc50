import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { chromium } from '@playwright/test';

export interface ChromiumChoice {
  /** The browser to launch; undefined means Playwright's own installed browser. */
  executablePath: string | undefined;
  source: string;
}

function onPath(name: string): string | undefined {
  try {
    const out = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Chromium from CHROMIUM_PATH, then the system's (Debian's `chromium`, Ubuntu's
 * `chromium-browser`), else Playwright's own download. Machines without internet access cannot
 * run `npx playwright install`, so a system browser comes first.
 */
export function findChromium(): ChromiumChoice {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) {
      throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist: point it at a Chromium binary.`);
    }
    return { executablePath: fromEnv, source: 'CHROMIUM_PATH' };
  }
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (existsSync(candidate)) return { executablePath: candidate, source: candidate };
  }
  for (const name of ['chromium', 'chromium-browser']) {
    const found = onPath(name);
    if (found) return { executablePath: found, source: `PATH (${name})` };
  }
  let bundled: string | undefined;
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = undefined;
  }
  if (bundled && existsSync(bundled)) return { executablePath: undefined, source: 'Playwright' };
  throw new Error(
    'No Chromium found for the end-to-end tests: install one (Debian/Ubuntu: `apt-get install chromium`), ' +
      'set CHROMIUM_PATH to its binary, or run `npx playwright install chromium`.',
  );
}

/**
 * The flags every Chromium this project starts gets: without them Chromium keeps trying to reach
 * Google's services, which floods a closed network with connection attempts.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
