import { create } from 'zustand';

/**
 * What a presenter asked to see beside the stage: the legend (hidden on a short projector by
 * default) and the formula panel (hidden while presenting by default).
 */
export interface RoomPanels {
  legend: boolean;
  formula: boolean;
  toggle: (which: 'legend' | 'formula') => void;
}

export const useRoomPanels = create<RoomPanels>()((set, get) => ({
  legend: false,
  formula: false,
  toggle: (which) => set({ [which]: !get()[which] } as Pick<RoomPanels, typeof which>),
}));
