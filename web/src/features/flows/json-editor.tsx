import { type Ref, useImperativeHandle, useMemo, useRef } from 'react';
import classes from './json-editor.module.css';
import type { TextRange } from './json-source';

/** What the page can do to the editor: select a range and bring it into view. */
export type JsonEditorHandle = { select(range: TextRange): void };

type JsonEditorProps = {
  value: string;
  onChange?: (value: string) => void;
  readOnly?: boolean;
  /** Accessible name of the text area. */
  label: string;
  /** CSS height of the editor, e.g. "60dvh". */
  height: string;
  testId?: string;
  ref?: Ref<JsonEditorHandle>;
};

/**
 * A plain monospace text area with line numbers: enough for JSON written by hand, without
 * the weight of a code editor. Lines do not wrap, so numbers and lines stay in step.
 */
export function JsonEditor({
  value,
  onChange,
  readOnly = false,
  label,
  height,
  testId,
  ref,
}: JsonEditorProps) {
  const textArea = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLPreElement>(null);
  const lineCount = useMemo(() => countLines(value), [value]);
  const numbers = useMemo(
    () => Array.from({ length: lineCount }, (_, index) => index + 1).join('\n'),
    [lineCount],
  );

  const syncGutter = () => {
    if (gutter.current && textArea.current) gutter.current.scrollTop = textArea.current.scrollTop;
  };

  useImperativeHandle(
    ref,
    () => ({
      select(range) {
        const element = textArea.current;
        if (!element) return;
        element.focus();
        element.setSelectionRange(range.start, range.end);
        // Bring the selected line to the upper third of the view.
        const line = countLines(element.value.slice(0, range.start)) - 1;
        const lineHeight = Number.parseFloat(getComputedStyle(element).lineHeight) || 20;
        element.scrollTop = Math.max(0, line * lineHeight - element.clientHeight / 3);
        if (gutter.current) gutter.current.scrollTop = element.scrollTop;
      },
    }),
    [],
  );

  return (
    <div className={classes.frame} style={{ height }}>
      <pre ref={gutter} className={classes.gutter} aria-hidden="true">
        {numbers}
      </pre>
      <textarea
        ref={textArea}
        className={classes.text}
        value={value}
        onChange={(event) => onChange?.(event.currentTarget.value)}
        onScroll={syncGutter}
        readOnly={readOnly}
        aria-label={label}
        data-testid={testId}
        wrap="off"
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        autoCorrect="off"
      />
    </div>
  );
}

function countLines(text: string): number {
  let lines = 1;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    lines++;
  }
  return lines;
}
