// A labelled single-line text input that shows its validation problem beneath it and links the two for screen readers.
import type { ReactElement } from 'react';

export interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  placeholder?: string;
  /** A sentence saying what is wrong with the value; absent when it is fine. */
  problem?: string;
  onChange: (value: string) => void;
}

export function TextField({ id, label, value, placeholder, problem, onChange }: TextFieldProps): ReactElement {
  const problemId = `${id}-problem`;
  return (
    <label>
      <span>{label}</span>
      <input
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
      />
      {problem ? (
        <span id={problemId} className="field-error">
          {problem}
        </span>
      ) : null}
    </label>
  );
}
