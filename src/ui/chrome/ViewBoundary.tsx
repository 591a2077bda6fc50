import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';
import { quote } from '../../state/guard.ts';

interface Props {
  /** What is drawn here, for the message ("The tour"). */
  what: string;
  /** A way back that does not depend on what failed (back to the explorer); absent in an embed. */
  back?: { label: string; onBack: () => void };
  /** Run before "Try again" redraws: drops what made the drawing fail (a run, for one). */
  onRetry?: () => void;
  /** A change of this value (another view, another scenario) clears the failure. */
  resetKey?: unknown;
  children: ReactNode;
}

interface State {
  error: string | null;
  key: unknown;
}

/**
 * A render failure inside one view becomes a message with a way back instead of a blank page:
 * React unmounts the whole tree when a render throws and no boundary catches it. The scenario and
 * its history live in the store, outside the view, so nothing the user made is lost.
 */
export class ViewBoundary extends Component<Props, State> {
  state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(e: unknown): Partial<State> {
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.key ? null : { key: props.resetKey, error: null };
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`${this.props.what} could not be drawn`, error, info.componentStack);
  }

  render() {
    if (this.state.error === null) return this.props.children;
    const { what, back, onRetry } = this.props;
    return (
      <div className="view-failed" role="alert">
        <h2>{what} could not be drawn</h2>
        <p>
          Your scenario and its undo history are kept. <code>{quote(this.state.error, 200)}</code>
        </p>
        <div className="view-failed-actions">
          <button
            type="button"
            className="button primary"
            onClick={() => {
              onRetry?.();
              this.setState({ error: null });
            }}
          >
            Try again
          </button>
          {back && (
            <button
              type="button"
              className="button"
              onClick={() => {
                back.onBack();
                this.setState({ error: null });
              }}
            >
              {back.label}
            </button>
          )}
        </div>
      </div>
    );
  }
}
