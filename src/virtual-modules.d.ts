/** Modules made at build time by vite.config.ts (see its kernelFixtures plugin). */
declare module 'virtual:kernel-fixtures' {
  /**
   * Per recorded folder (test/fixtures/linux-6.1, linux-6.12): how many of its scenarios the
   * engine reproduces, counted at build time, and its hand-picked recordings.
   */
  export const RECORDED_SETS: {
    /** "linux-6.12" */
    folder: string;
    /** The engine's generation that models it ("Linux 6.12"). */
    model: string;
    /** The kernel that recorded it ("Linux 6.12.117"). */
    kernel: string;
    total: number;
    reproduced: number;
    /** The fixtures that differ, with their first difference. */
    differences: { id: string; difference: string }[];
    /** The hand-picked recordings, offered as presets (their files load on demand); id "folder/name". */
    recorded: { id: string; title: string }[];
  }[];
}

declare module 'virtual:kernel-recordings' {
  import type { KernelFixture } from './engine/fixtures/reproduce.ts';
  /** The hand-picked recordings of every folder: scenario, kernel and what the kernel did. */
  export const RECORDINGS: (KernelFixture & { id: string })[];
}

declare module 'virtual:tones' {
  import type { Tone } from './ui/model/states.ts';
  import type { ThemeName, ToneColors } from './ui/theme/palette.ts';
  /** The state colours of both themes, derived by ui/theme/palette.ts when the app is built. */
  export const TONES: Record<ThemeName, Record<Tone, ToneColors>>;
}
