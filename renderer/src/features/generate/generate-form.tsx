// The Generate form: kind, algorithm, size, and the optional name and env-var hint used when storing.
import type { FormEvent } from 'react';
import { KEY_KINDS, isKeyKind } from '../../../../shared/domain/key-kinds.js';
import { KEY_NAME_PATTERN } from '../../../../shared/domain/key-names.js';
import { TextField } from '../../components/text-field.js';
import { KIND_LABELS, algsFor, fixedSizeNote, initialFormState, sizeChoiceFor, type GenerateFormState } from './key-options.js';
import { ENV_VAR_NAME_RULE, isEnvVarName } from '../../../../shared/domain/env-var-name.js';

export function nameProblem(name: string): string | undefined {
  if (name === '') return undefined;
  return KEY_NAME_PATTERN.test(name) ? undefined : 'Use 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit.';
}

export function envVarProblem(envVar: string): string | undefined {
  if (envVar === '') return undefined;
  return isEnvVarName(envVar) ? undefined : `Use ${ENV_VAR_NAME_RULE}.`;
}

export function GenerateForm({
  state,
  onChange,
  onSubmit,
  pending,
}: {
  state: GenerateFormState;
  onChange: (s: GenerateFormState) => void;
  onSubmit: () => void;
  pending: boolean;
}) {
  const algs = algsFor(state.kind);
  const size = sizeChoiceFor(state.kind, state.alg);
  const badName = nameProblem(state.name);
  const badEnv = envVarProblem(state.envVar);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!badName && !badEnv) onSubmit();
  };
  return (
    <form className="form-grid" onSubmit={submit} aria-label="Key options">
      <label>
        <span>Kind</span>
        <select
          value={state.kind}
          onChange={(e) => {
            if (isKeyKind(e.target.value)) onChange({ ...initialFormState(e.target.value), name: state.name, envVar: state.envVar });
          }}
        >
          {KEY_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <div className="param-row">
        {algs.length > 0 ? (
          <label>
            <span>Algorithm</span>
            <select
              value={state.alg}
              onChange={(e) => {
                const alg = e.target.value;
                onChange({ ...state, alg, size: sizeChoiceFor(state.kind, alg)?.default });
              }}
            >
              {algs.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {size ? (
          <label>
            <span>Size</span>
            <select value={state.size} onChange={(e) => onChange({ ...state, size: Number(e.target.value) })}>
              {size.values.map((v) => (
                <option key={v} value={v}>
                  {v} {size.unit}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <p className="hint form-note">
            <span className="visually-hidden">Size: </span>
            {fixedSizeNote(state.kind, state.alg)}
          </p>
        )}
      </div>
      <TextField
        id="name"
        label="Name in the keychain (optional)"
        value={state.name}
        placeholder="pii-enc-key"
        problem={badName}
        onChange={(name) => onChange({ ...state, name })}
      />
      <TextField
        id="env"
        label="Environment variable hint (optional)"
        value={state.envVar}
        placeholder="PII_ENC_KEY"
        problem={badEnv}
        onChange={(envVar) => onChange({ ...state, envVar })}
      />
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={pending || Boolean(badName) || Boolean(badEnv)}>
          {pending ? 'Generating…' : 'Generate'}
        </button>
      </div>
    </form>
  );
}
