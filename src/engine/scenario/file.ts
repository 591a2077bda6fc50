/**
 * A `Scenario` written back as its canonical file. Apart from the parser (parse.ts) on purpose:
 * writing a link or saving the scenario must not load the schema and its validation library.
 */
import { CPU_STATES, DEVICE_STATES, type CpuState, type DeviceState, type Scenario } from '../types.ts';
import { hasDriverLayout } from '../kernels/registry.ts';
import { compressMap, runs, spanKey } from './keys.ts';
import {
  ALL_ONES,
  PRESET_LAYOUT_NAMES,
  decomposeFlags,
  hex64,
  hexMin,
  presetLayout,
  sameLayout,
  type PresetLayoutName,
} from './layout.ts';

function flagsToFile(s: Scenario, bits: bigint): string[] | string {
  return decomposeFlags(s.kernel, s.layout, bits) ?? hex64(bits);
}

function driverToFile(s: Scenario): string | object | undefined {
  if (!hasDriverLayout(s.kernel))
    return s.devicePrivateOwner === 'this' ? undefined : { devicePrivateOwner: 'none' };
  const l = s.layout;
  const name = l.name as PresetLayoutName;
  // Written even for the default "seed": in v5.2 the layout says what the flag names mean.
  if (PRESET_LAYOUT_NAMES.includes(name) && sameLayout(l, presetLayout(name))) return name;
  return {
    flags: {
      VALID: hexMin(l.flags.VALID),
      WRITE: hexMin(l.flags.WRITE),
      DEVICE_PRIVATE: hexMin(l.flags.DEVICE_PRIVATE),
    },
    values: { ERROR: hexMin(l.values.ERROR), NONE: hexMin(l.values.NONE), SPECIAL: hexMin(l.values.SPECIAL) },
    pfnShift: l.pfnShift,
  };
}

/**
 * The canonical file for a scenario: defaults left out, runs of equal pages as "a-b" keys, flags as
 * names where they decompose. parseScenario(scenarioToFile(s)) deep-equals s for every parsed s
 * (for v6, `layout` is always the seed's and `block` true, as parsing makes them).
 */
export function scenarioToFile(s: Scenario): Record<string, unknown> {
  const n = s.range.pages;
  const out: Record<string, unknown> = { format: 1 };
  if (s.title) out.title = s.title;
  if (s.notes) out.notes = s.notes;
  out.kernel = s.kernel;
  out.call = s.call;
  if (hasDriverLayout(s.kernel) && !s.block) out.block = false;
  if (s.timeout !== 0) out.timeout = s.timeout;
  out.range = { start: hexMin(s.range.start), pages: n };
  out.vmas = s.vmas.map((v) => {
    const f: Record<string, unknown> = { from: v.from, pages: v.pages, prot: v.prot, backing: v.backing };
    if (v.shared) f.shared = true;
    if (v.special) f.special = v.special;
    if (v.thp) f.thp = true;
    if (v.allocFails) f.allocFails = true;
    if (v.uffd) f.uffd = v.uffd;
    return f;
  });
  out.cpu = compressMap<CpuState>(
    n,
    (p) => CPU_STATES[s.cpu[p]],
    (st) => st === 'none',
  );
  const driver = driverToFile(s);
  if (driver !== undefined) out.driver = driver;
  const wrapper = s.call === 'hmm_vma_fault';
  if (!(wrapper && s.defaultFlags === 0n)) out.defaultFlags = flagsToFile(s, s.defaultFlags);
  if (!(wrapper && s.pfnFlagsMask === ALL_ONES))
    out.pfnFlagsMask = s.pfnFlagsMask === ALL_ONES ? 'all' : flagsToFile(s, s.pfnFlagsMask);
  const requests: Record<string, string[] | string> = {};
  for (const [from, to, w] of runs(
    n,
    (p) => s.requests[p],
    (w) => w === 0n,
  ))
    requests[spanKey(from, to)] = flagsToFile(s, w);
  out.requests = requests;
  if (s.concurrent.length)
    out.concurrent = s.concurrent.map((ev) => ({
      at: ev.at,
      ...(ev.n === 1 ? {} : { n: ev.n }),
      op: ev.op,
      pages: spanKey(ev.from, ev.to),
      ...(ev.repeat ? { repeat: true } : {}),
      ...(ev.lasts ? { lasts: true } : {}),
    }));
  if (!s.driverLoop) out.driverLoop = false;
  if (s.device.some((d) => d !== 0))
    out.device = compressMap<DeviceState>(
      n,
      (p) => DEVICE_STATES[s.device[p]],
      (d) => d === 'none',
    );
  return out;
}
