/** Modules made at build time by vite.config.ts (see its kernelFixtures plugin). */
declare module 'virtual:kernel-fixtures' {
  /** How many of the recorded Linux 6.1 scenarios the engine reproduces, counted at build time. */
  export const FIXTURE_SUMMARY: {
    kernel: string;
    total: number;
    reproduced: number;
    /** The fixtures that differ, with their first difference. */
    differences: { id: string; difference: string }[];
  };
  /** The hand-picked recordings, offered as presets (their files load on demand). */
  export const RECORDED: { id: string; title: string }[];
}

declare module 'virtual:kernel-recordings' {
  import type { KernelFixture } from './engine/fixtures/reproduce.ts';
  /** The hand-picked Linux 6.1 recordings: scenario, kernel and what the kernel did. */
  export const RECORDINGS: (KernelFixture & { id: string })[];
}
