// The Escrow screen: create a bundle with its share sheets, then drill or restore it with the custodians' shares.
import { useState } from 'react';
import type { AppInfo } from '../../../../shared/ipc/features/app.js';
import { CreateBundleForm } from './create-bundle-form.js';
import { RestoreWizard } from './restore-wizard.js';

export function EscrowScreen({ info }: { info: AppInfo }) {
  // A bundle just created is the one the drill opens by default.
  const [lastBundle, setLastBundle] = useState('');
  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>Escrow</h1>
        <p className="lede">
          Offline key escrow: keys sealed in an age-encrypted bundle whose key is split among custodians, so any k of them can restore it
          and fewer learn nothing. Works with no network; shares and values are never shown here.
        </p>
      </header>
      <CreateBundleForm info={info} onCreated={setLastBundle} />
      <RestoreWizard key={lastBundle} info={info} bundleHint={lastBundle} />
    </div>
  );
}
