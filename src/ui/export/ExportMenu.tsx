import { Suspense, lazy, useState } from 'react';
import { Icon } from '../chrome/Icon.tsx';
import { Popover } from '../chrome/Popover.tsx';
// The popover's and the notices' rules live here too: loaded with the button, not the panel.
import './export.css';

const ExportPanel = lazy(() => import('./ExportPanel.tsx').then((m) => ({ default: m.ExportPanel })));

/**
 * Export: a button, and its panel (ExportPanel.tsx), loaded the first time it opens: the export
 * code is not part of the first load. The message and the chosen pages outlive the panel.
 */
export function ExportMenu() {
  const [status, setStatus] = useState('');
  const [chosen, setChosen] = useState('');
  return (
    <Popover
      label="Export"
      buttonLabel="Export"
      className="export-menu"
      panelClass="export-panel"
      title="Save the stage as a picture, or the scenario as a file"
      button={
        <>
          <Icon name="download" /> <span className="button-text">Export</span>
        </>
      }
    >
      <Suspense fallback={<p className="popover-help">Loading…</p>}>
        <ExportPanel status={status} setStatus={setStatus} chosen={chosen} setChosen={setChosen} />
      </Suspense>
    </Popover>
  );
}
