import { useEffect } from 'react';
import type { RefObject } from 'react';
import { RECORDED_SETS } from 'virtual:kernel-fixtures';
import { GENERATIONS } from '../../engine/kernels/registry.ts';
import { DialogHead } from './DialogHead.tsx';

/**
 * The About dialog: the kernel generations (from the registry), and how many scenarios recorded on
 * each real kernel the engine reproduces (counted when the app was built, see vite.config.ts).
 * Loaded when first asked for (About.tsx), with the build's list of recordings; it opens as it
 * mounts.
 */
export function AboutDialog({ dialogRef }: { dialogRef: RefObject<HTMLDialogElement | null> }) {
  useEffect(() => {
    const d = dialogRef.current;
    if (d && !d.open) d.showModal();
  }, [dialogRef]);
  return (
    <dialog ref={dialogRef} className="about-dialog" aria-labelledby="about-title">
      <DialogHead id="about-title" title="About HMM Explorer" onClose={() => dialogRef.current?.close()} />
      <p>
        An explorer of how the Linux kernel&apos;s HMM mirrors a process&apos;s page table into a
        device&apos;s: the request rule <code>(pfns[i] &amp; pfn_flags_mask) | default_flags</code>, the walk,
        every <code>handle_mm_fault()</code>, the restarts and the driver&apos;s retry loop, as each kernel
        generation does them.
      </p>
      <ul>
        {GENERATIONS.map((g) => (
          <li key={g.id}>
            <strong>{g.label}</strong> ({g.year}): {g.changed}
          </li>
        ))}
      </ul>
      {RECORDED_SETS.map((f) => (
        <div key={f.folder}>
          <p className="about-fixtures" role="status">
            The {f.model} model reproduces <strong>{f.reproduced}</strong> of <strong>{f.total}</strong>{' '}
            scenarios recorded on a real {f.kernel} kernel (counted when this build was made).
          </p>
          {f.differences.length > 0 && (
            <details>
              <summary>{f.differences.length} recordings differ</summary>
              <ul>
                {f.differences.map((d) => (
                  <li key={d.id}>
                    <code>{d.id}</code>: {d.difference}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      ))}
      <p className="muted">
        The &quot;Recorded on&quot; presets show a recording beside what the engine does.
      </p>
    </dialog>
  );
}
