import { useMode } from '../../state/mode.ts';
import type { ModeState } from '../../state/mode.ts';

const selectPresent = (s: ModeState) => s.present;

/** True in presentation mode: views draw larger and with more contrast. */
export function usePresent(): boolean {
  return useMode(selectPresent);
}
