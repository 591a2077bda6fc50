import { useRef } from 'react';
import { FIXTURE_SUMMARY } from 'virtual:kernel-fixtures';
import { Icon } from './Icon.tsx';

/**
 * What the tool models and how far to trust it: the kernels, and how many scenarios recorded on a
 * real Linux 6.1 kernel the engine reproduces (counted when the app was built, see vite.config.ts).
 */
export function About() {
  const dialog = useRef<HTMLDialogElement>(null);
  const f = FIXTURE_SUMMARY;
  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label="About HMM Explorer"
        title="About"
        onClick={() => dialog.current?.showModal()}
      >
        <Icon name="info" />
      </button>
      <dialog ref={dialog} className="about-dialog" aria-labelledby="about-title">
        <div className="about-head">
          <h2 id="about-title">About HMM Explorer</h2>
          <button
            type="button"
            className="icon-button small"
            aria-label="Close"
            onClick={() => dialog.current?.close()}
          >
            <Icon name="close" />
          </button>
        </div>
        <p>
          An explorer of how the Linux kernel&apos;s HMM mirrors a process&apos;s page table into a
          device&apos;s: the request rule <code>(pfns[i] &amp; pfn_flags_mask) | default_flags</code>, the
          walk, every <code>handle_mm_fault()</code>, the restarts and the driver&apos;s retry loop, as two
          kernels do them.
        </p>
        <ul>
          <li>
            <strong>Linux 5.2</strong>: the 2019 API of the seed patch (
            <code>hmm_range_fault(range, block)</code>, <code>hmm_range_snapshot</code>, the{' '}
            <code>hmm_vma_fault</code> wrapper), bugs included.
          </li>
          <li>
            <strong>Linux 6.1</strong>: <code>hmm_range_fault(range)</code> with <code>hmm_pfns</code> and the
            interval notifier.
          </li>
        </ul>
        <p className="about-fixtures" role="status">
          The Linux 6.1 model reproduces <strong>{f.reproduced}</strong> of <strong>{f.total}</strong>{' '}
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
        <p className="muted">
          The &quot;Recorded on Linux 6.1&quot; presets show a recording beside what the engine does.
        </p>
      </dialog>
    </>
  );
}
