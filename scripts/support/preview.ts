/**
 * What the measuring scripts (bench, bench:browser, lighthouse) share: the median they report, the
 * 4096-page range they load, and the built app served by `vite preview` for the time of a run.
 */
import { spawn } from 'node:child_process';

/** The median of a few runs (the machine is noisy: one slow run must not move the figure). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The UI's largest range: writes all over, a few COW copies, two attempts. */
export const LARGE_SCENARIO = {
  format: 1,
  title: 'A 4096-page range',
  kernel: 'v6',
  call: 'hmm_range_fault',
  range: { start: '0x7f0000000000', pages: 4096 },
  vmas: [{ from: 0, pages: 4096, prot: 'rw', backing: 'anon' }],
  cpu: { '0-1000': 'rw', '1001-2000': 'ro', '2500': 'zero', '3000-3100': 'zero' },
  defaultFlags: ['REQ_FAULT'],
  pfnFlagsMask: ['REQ_WRITE'],
  requests: { '5': ['REQ_WRITE'], '3000-3010': ['REQ_WRITE'] },
};

/** The hash that opens LARGE_SCENARIO. */
export const LARGE_LINK = `#scenario=${encodeURIComponent(JSON.stringify(LARGE_SCENARIO))}`;

async function answers(base: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer on ${base}`);
}

/** Serves dist/ on `port` while `run(base)` runs, then stops the server whatever happens. */
export async function withPreview<T>(port: number, run: (base: string) => Promise<T>): Promise<T> {
  const base = `http://127.0.0.1:${port}/`;
  const server = spawn(
    'npx',
    ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  try {
    await answers(base);
    return await run(base);
  } finally {
    if (server.pid) process.kill(-server.pid);
  }
}
