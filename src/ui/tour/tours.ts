import { TOUR, type Tour } from './steps.ts';
import { TOUR_TODAY } from './todaySteps.ts';

/** The guided tours of "Leverage default_flags and pfn_flags_mask": the seed's 2019 words and today's. */
export const TOURS: readonly Tour[] = [
  {
    id: 'seed',
    route: 'tour',
    source: 'Documentation/mm/hmm.rst, the seed patch (2019)',
    name: 'the 2019 wording (Linux 5.2)',
    steps: TOUR,
  },
  {
    id: 'today',
    route: 'today',
    source: 'Documentation/mm/hmm.rst, Linux 7.3',
    name: 'today’s wording (Linux 7.3)',
    steps: TOUR_TODAY,
  },
];

export const tourById = (id: Tour['id']): Tour => TOURS.find((t) => t.id === id)!;
