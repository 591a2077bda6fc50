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

async function answersNow(base: string): Promise<boolean> {
  try {
    return (await fetch(base)).ok;
  } catch {
    return false;
  }
}

async function answers(base: string, exited: () => number | null): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await answersNow(base)) return;
    const code = exited();
    if (code !== null) throw new Error(`vite preview on ${base} exited (${code}) before it answered`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer on ${base}`);
}

/** Serves dist/ on `port` while `run(base)` runs, then stops the server whatever happens. */
export async function withPreview<T>(port: number, run: (base: string) => Promise<T>): Promise<T> {
  const base = `http://127.0.0.1:${port}/`;
  // Another server on the port (another checkout's preview) would be measured instead of this
  // dist/, silently: --strictPort makes ours exit, and the other one answers.
  if (await answersNow(base))
    throw new Error(`port ${port} is already serving something: choose another (see the script's *_PORT)`);
  const server = spawn(
    'npx',
    ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  let exitCode: number | null = null;
  server.on('exit', (code) => (exitCode = code ?? -1));
  try {
    await answers(base, () => exitCode);
    return await run(base);
  } finally {
    if (server.pid && exitCode === null) process.kill(-server.pid);
  }
}
