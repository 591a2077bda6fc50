import { TOUR, type Tour } from './steps.ts';
import { TOUR_TODAY } from './todaySteps.ts';
import { TOUR_LOCKS } from './lockSteps.ts';
import type { TourId } from '../../state/tour.ts';

const LEVERAGE = 'Leverage default_flags and pfn_flags_mask';

/**
 * The guided tours: "Leverage default_flags and pfn_flags_mask" in the seed's 2019 words and in
 * today's, and the chapter "Holding the mmap lock across HMM faults".
 */
export const TOURS: readonly Tour[] = [
  {
    id: 'seed',
    route: 'tour',
    section: LEVERAGE,
    source: 'Documentation/mm/hmm.rst, the seed patch (2019)',
    name: 'the 2019 wording (Linux 5.2)',
    steps: TOUR,
  },
  {
    id: 'today',
    route: 'today',
    section: LEVERAGE,
    source: 'Documentation/mm/hmm.rst, Linux 7.3',
    name: 'today’s wording (Linux 7.3)',
    steps: TOUR_TODAY,
  },
  {
    id: 'locks',
    route: 'locks',
    section: 'Holding the mmap lock across HMM faults',
    source: 'Documentation/mm/hmm.rst, Linux 7.3',
    name: 'on Linux 5.2, 6.1 and 7.3',
    steps: TOUR_LOCKS,
  },
];

export const tourById = (id: TourId): Tour => TOURS.find((t) => t.id === id)!;
