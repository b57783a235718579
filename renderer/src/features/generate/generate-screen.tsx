// The Generate screen: pick a kind and its parameters, generate a draft, then store, copy or export it.
import { useEffect, useRef, useState } from 'react';
import type { DraftKey, StoredKey } from '../../../../shared/ipc/features/generate.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAsyncAction } from '../../lib/use-async.js';
import { DraftPanel } from './draft-panel.js';
import { GenerateForm } from './generate-form.js';
import { initialFormState, toRequest, type GenerateFormState } from './key-options.js';

export interface GeneratePrefill {
  kind: GenerateFormState['kind'];
  name: string;
  envVar: string;
}

export function GenerateScreen({ prefill, onStored }: { prefill?: GeneratePrefill; onStored: (s: StoredKey) => void }) {
  const [form, setForm] = useState<GenerateFormState>(() =>
    prefill ? initialFormState(prefill.kind, prefill.name, prefill.envVar) : initialFormState(),
  );
  const [draft, setDraft] = useState<DraftKey | undefined>(undefined);
  const draftRef = useRef<DraftKey | undefined>(undefined);
  draftRef.current = draft;

  // Drop the host's copy of an unsaved key when the user leaves this screen.
  useEffect(
    () => () => {
      if (draftRef.current) void api.discardDraft({ draftId: draftRef.current.draftId }).catch(() => undefined);
    },
    [],
  );

  const generate = useAsyncAction(async () => {
    const previous = draftRef.current;
    setDraft(undefined);
    if (previous) await api.discardDraft({ draftId: previous.draftId }).catch(() => undefined);
    setDraft(await api.generateKey(toRequest(form)));
  });

  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>Generate a key</h1>
        <p className="lede">Keys are generated with the operating system's random source. Nothing is shown or stored until you ask.</p>
      </header>
      <section className="card" aria-label="Key options">
        <GenerateForm state={form} onChange={setForm} onSubmit={() => void generate.run()} pending={generate.pending} />
        <ErrorNotice error={generate.error} onDismiss={generate.clearError} />
      </section>
      {draft ? <DraftPanel key={draft.draftId} draft={draft} name={form.name} envVar={form.envVar} onStored={onStored} /> : null}
    </div>
  );
}
