import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { CallSection } from './CallSection.tsx';
import { PolicySection } from './PolicySection.tsx';
import { PagesSection } from './PagesSection.tsx';
import { VmaSection } from './VmaSection.tsx';
import { ConcurrentSection } from './ConcurrentSection.tsx';
import { TitleSection } from './TitleSection.tsx';
import { JsonSection } from './JsonSection.tsx';

const selectProblems = (s: Store) => s.problems;

function Section({
  title,
  children,
  open = true,
}: {
  title: string;
  children: React.ReactNode;
  open?: boolean;
}) {
  return (
    <details className="editor-section" open={open}>
      <summary>
        <h2>{title}</h2>
      </summary>
      {children}
    </details>
  );
}

/** Everything about the scenario, edited directly; the stage's rows paint per page. */
export function Editor() {
  const problems = useStore(selectProblems);
  return (
    <aside className="editor" id="editor" tabIndex={-1} aria-label="Scenario editor">
      <div role="status" className="problems-live">
        {problems.length > 0 && (
          <div className="problems">
            <strong>This scenario cannot run yet:</strong>
            <ul>
              {problems.map((p) => (
                <li key={p}>
                  <code>{p}</code>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <Section title="Title and notes" open={false}>
        <TitleSection />
      </Section>
      <Section title="Kernel and call">
        <CallSection />
      </Section>
      <Section title="Request policy">
        <PolicySection />
      </Section>
      <Section title="Range and pages">
        <PagesSection />
      </Section>
      <Section title="VMAs">
        <VmaSection />
      </Section>
      <Section title="Concurrent CPU events" open={false}>
        <ConcurrentSection />
      </Section>
      <Section title="Scenario as JSON" open={false}>
        <JsonSection />
      </Section>
    </aside>
  );
}
