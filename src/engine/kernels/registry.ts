/**
 * The kernel generations the explorer models, oldest first: the one list the engine, the
 * scenario schema, the CLI and every view read. A generation is one module (see generation.ts).
 */
import type { Generation } from './generation.ts';
import { v5_2 } from './v5_2.ts';
import { v6_1 } from './v6_1.ts';
import { v6_12 } from './v6_12.ts';
import { v7_3 } from './v7_3.ts';

export const GENERATIONS = [v5_2, v6_1, v6_12, v7_3] as const satisfies readonly Generation[];

/** A scenario file's "kernel" value. */
export type Kernel = (typeof GENERATIONS)[number]['id'];

export const KERNEL_IDS = GENERATIONS.map((g) => g.id) as [Kernel, ...Kernel[]];

const byId = new Map<string, Generation>(GENERATIONS.map((g) => [g.id, g]));

/** The generation of a kernel id (every Kernel value has one). */
export function generation(id: Kernel): Generation {
  return byId.get(id)!;
}

export const isKernel = (id: unknown): id is Kernel => typeof id === 'string' && byId.has(id);

/** The newest generation: what a new scenario and the picker's default are. */
export const NEWEST: Generation = GENERATIONS[GENERATIONS.length - 1];

/** Human label of a kernel id ("Linux 6.12"). */
export const kernelLabel = (id: Kernel): string => generation(id).label;

/** Whether the scenario's driver chooses the bit layout (the 2019 API) or the kernel fixes it. */
export const hasDriverLayout = (id: Kernel): boolean => generation(id).pfns === null;

/** The generations that have a scenario feature, as labels for an error message. */
export function kernelsWith(test: (g: Generation) => boolean): string {
  const ids = GENERATIONS.filter(test).map((g) => `"${g.id}" (${g.label})`);
  return ids.length <= 1
    ? (ids[0] ?? 'no kernel')
    : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}
