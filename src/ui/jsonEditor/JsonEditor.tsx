import { useEffect, useRef, useState } from 'react';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine } from '@codemirror/view';
import { defaultKeymap } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, syntaxHighlighting, HighlightStyle } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { linter, lintGutter, forceLinting } from '@codemirror/lint';
import type { Diagnostic } from '@codemirror/lint';
import { formatJson } from '../../engine/scenario/json.ts';
import { parseScenarioText, scenarioToFile } from '../../engine/scenario/parse.ts';
import type { Scenario } from '../../engine/types.ts';
import { useStore } from '../../state/store.ts';
import { scenarioJson } from '../../state/scenarioIO.ts';
import { locateProblems } from './locate.ts';
import './jsonEditor.css';

/** The pseudocode panel's token colours (global.css), so both themes keep their contrast. */
const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: 'var(--tk-fn)' },
  { tag: tags.string, color: 'var(--tk-const)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--tk-kw)' },
  { tag: tags.invalid, color: 'var(--tk-err)' },
]);

/**
 * The app's colours for the editor. It lives in a shadow root: there CodeMirror's style module
 * uses constructed stylesheets (adoptedStyleSheets) instead of a <style> element, so the editor
 * keeps its styles under a Content-Security-Policy of `style-src 'self'` without a nonce. The
 * custom properties of the theme inherit into the shadow root.
 */
const appTheme = EditorView.theme({
  '&': {
    maxHeight: '60vh',
    border: '1px solid var(--border-strong)',
    borderRadius: '6px',
    background: 'var(--panel)',
    color: 'var(--text)',
    fontSize: '12.5px',
  },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', overflow: 'auto' },
  '.cm-gutters': {
    background: 'var(--panel-2)',
    color: 'var(--muted)',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLine, .cm-activeLineGutter': {
    background: 'color-mix(in srgb, var(--accent) 8%, transparent)',
  },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': {
    background: 'color-mix(in srgb, var(--accent) 25%, transparent)',
  },
  '.cm-tooltip.cm-tooltip-lint': {
    background: 'var(--panel)',
    color: 'var(--text)',
    border: '1px solid var(--border-strong)',
  },
});

/** The scenario's file form as the editor shows it (the format of public/scenarios/). */
function textOf(s: Scenario): string {
  return formatJson(scenarioToFile(s)) + '\n';
}

let gestureSeq = 0;

/**
 * The scenario as JSON text, for people who write the format by hand (CodeMirror 6, loaded only
 * when opened). Every change is parsed with the scenario schema: problems are lint diagnostics at
 * the field they name; a text that parses replaces the scenario (one undo step per visit, like
 * any edit); a text that does not changes nothing. Edits made elsewhere (the stage, Undo) replace
 * the text while it is valid.
 */
export default function JsonEditor() {
  const host = useRef<HTMLDivElement>(null);
  const [problems, setProblems] = useState<{ line: number; message: string; from: number }[]>([]);
  const viewRef = useRef<EditorView | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const shadow = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    const mount = document.createElement('div');
    shadow.append(mount);
    /** The scenario the text last stood for (what we applied, or what we were given). */
    let shown = scenarioJson(useStore.getState().scenario);
    let gesture = `json-${++gestureSeq}`;

    const check = (view: EditorView): Diagnostic[] => {
      const text = view.state.doc.toString();
      const r = parseScenarioText(text);
      if (r.ok) {
        setProblems([]);
        const key = scenarioJson(r.scenario);
        if (key !== shown) {
          shown = key;
          useStore.getState().edit(() => r.scenario, gesture);
        }
        return [];
      }
      const located = locateProblems(text, r.problems);
      setProblems(
        located.map((l) => ({
          line: view.state.doc.lineAt(l.from).number,
          message: l.message,
          from: l.from,
        })),
      );
      return located.map((l) => ({
        from: l.from,
        to: l.to,
        severity: 'error',
        message: l.message,
      }));
    };

    const view = new EditorView({
      root: shadow,
      parent: mount,
      state: EditorState.create({
        doc: textOf(useStore.getState().scenario),
        extensions: [
          lineNumbers(),
          highlightActiveLine(),
          bracketMatching(),
          json(),
          syntaxHighlighting(highlight),
          appTheme,
          linter(check, { delay: 250 }),
          lintGutter(),
          keymap.of(defaultKeymap),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({
            'aria-label': 'Scenario JSON',
            'aria-multiline': 'true',
            role: 'textbox',
            // Explicit, so checkers see the scrolling region has a keyboard-focusable child.
            tabindex: '0',
          }),
          EditorView.domEventHandlers({
            // Leaving the editor ends its undo step: the next visit is a new one.
            blur: () => {
              useStore.getState().endGesture();
              gesture = `json-${++gestureSeq}`;
            },
          }),
        ],
      }),
    });

    viewRef.current = view;
    // An edit elsewhere (a paint, Undo) shows in the text, unless the text is mid-fix.
    const unsubscribe = useStore.subscribe((st, prev) => {
      if (st.scenario === prev.scenario) return;
      const key = scenarioJson(st.scenario);
      if (key === shown) return;
      shown = key;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: textOf(st.scenario) } });
      forceLinting(view);
    });
    return () => {
      unsubscribe();
      view.destroy();
      mount.remove();
    };
  }, []);

  return (
    <div className="json-editor">
      <div ref={host} className="json-host" />
      <div role="status" className="json-status">
        {problems.length ? (
          <div className="problems">
            <strong>
              Not applied: {problems.length} {problems.length === 1 ? 'problem' : 'problems'} (marked in the
              text)
            </strong>
            <ul>
              {problems.map((p) => (
                <li key={p.message}>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      const v = viewRef.current;
                      if (!v) return;
                      v.dispatch({ selection: { anchor: p.from }, scrollIntoView: true });
                      v.focus();
                    }}
                  >
                    line {p.line}
                  </button>{' '}
                  <code>{p.message}</code>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="help">Valid: every change is applied as you type; Undo takes it back.</p>
        )}
      </div>
    </div>
  );
}
