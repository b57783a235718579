// The dialog that asks for the code `keyturn serve` printed on its terminal before a secret reaches this page.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ReleaseChallenge } from '../../../shared/domain/release.js';
import { setCodePrompt } from '../api/release-prompt.js';

interface Asking {
  challenge: ReleaseChallenge;
  answer: (code: string | null) => void;
}

export function ReleaseCodeDialog() {
  const [asking, setAsking] = useState<Asking | undefined>(undefined);
  const [code, setCode] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const titleId = useId();

  useEffect(() => {
    setCodePrompt(
      (challenge) =>
        new Promise<string | null>((resolve) => {
          setCode('');
          setAsking((previous) => {
            previous?.answer(null); // a newer request replaces an unanswered one
            return { challenge, answer: resolve };
          });
        }),
    );
    return () => setCodePrompt(undefined);
  }, []);

  useEffect(() => {
    if (asking) input.current?.focus();
  }, [asking]);

  if (!asking) return null;
  const finish = (value: string | null) => {
    asking.answer(value);
    setAsking(undefined);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    finish(code.trim());
  };
  return (
    <div className="modal-backdrop">
      <form
        className="modal card"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onSubmit={submit}
        onKeyDown={(e) => {
          if (e.key === 'Escape') finish(null);
        }}
        data-testid="release-code-dialog"
      >
        <h2 id={titleId}>Confirm in the terminal</h2>
        <p>
          To {asking.challenge.subject}, type the code that <code>keyturn serve</code> just printed in the terminal where it runs. A script
          in this page cannot read that terminal, so the code proves the request is yours.
        </p>
        <label>
          <span>Code from the terminal</span>
          <input
            ref={input}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            maxLength={16}
            required
          />
        </label>
        <div className="action-row">
          <button type="submit" className="button-primary" disabled={code.trim() === ''}>
            Confirm
          </button>
          <button type="button" onClick={() => finish(null)}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
