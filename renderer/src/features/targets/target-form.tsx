// The form that adds a push target: AWS (region, profile, endpoint, KMS key) or Azure (vault URL, tenant, credential
// kind, authority host, api-version, CA file, custom-domain switch). It never asks for a credential.
import { useState, type FormEvent } from 'react';
import { AZURE_CREDENTIAL_KINDS, type AzureCredentialKind, type Target } from '../../../../shared/push/targets.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { TextField } from '../../components/text-field.js';
import { useAsyncAction } from '../../lib/use-async.js';

interface Fields {
  kind: 'aws' | 'azure';
  name: string;
  region: string;
  profile: string;
  endpoint: string;
  kmsKeyId: string;
  vaultUrl: string;
  tenant: string;
  credential: AzureCredentialKind;
  authorityHost: string;
  apiVersion: string;
  caFile: string;
  customDomain: boolean;
}

const EMPTY: Fields = {
  kind: 'aws',
  name: '',
  region: '',
  profile: '',
  endpoint: '',
  kmsKeyId: '',
  vaultUrl: '',
  tenant: '',
  credential: 'default',
  authorityHost: '',
  apiVersion: '',
  caFile: '',
  customDomain: false,
};

function optional<K extends string>(key: K, value: string): Partial<Record<K, string>> {
  return value.trim() === '' ? {} : ({ [key]: value.trim() } as Record<K, string>);
}

function targetOf(f: Fields): Target {
  if (f.kind === 'aws') {
    return {
      kind: 'aws',
      name: f.name.trim(),
      region: f.region.trim(),
      ...optional('profile', f.profile),
      ...optional('endpoint', f.endpoint),
      ...optional('kmsKeyId', f.kmsKeyId),
    };
  }
  return {
    kind: 'azure',
    name: f.name.trim(),
    vaultUrl: f.vaultUrl.trim(),
    credential: f.credential,
    challengeResourceCheck: !f.customDomain,
    ...optional('tenant', f.tenant),
    ...optional('authorityHost', f.authorityHost),
    ...optional('apiVersion', f.apiVersion),
    ...optional('caFile', f.caFile),
  };
}

export function TargetForm({ onAdded }: { onAdded: (target: Target) => void }) {
  const [f, setF] = useState<Fields>(EMPTY);
  const set = (patch: Partial<Fields>) => setF((previous) => ({ ...previous, ...patch }));
  const add = useAsyncAction(async () => {
    const target = await api.addTarget({ target: targetOf(f) });
    setF({ ...EMPTY, kind: f.kind });
    onAdded(target);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void add.run();
  };
  return (
    <form className="card form-grid" onSubmit={submit} aria-label="Add a target">
      <h2 className="form-wide">Add a target</h2>
      <label>
        <span>Service</span>
        <select value={f.kind} onChange={(e) => set({ kind: e.target.value === 'azure' ? 'azure' : 'aws' })}>
          <option value="aws">AWS Secrets Manager</option>
          <option value="azure">Azure Key Vault</option>
        </select>
      </label>
      <TextField id="target-name" label="Name" value={f.name} placeholder="prod" onChange={(name) => set({ name })} />
      {f.kind === 'aws' ? (
        <>
          <TextField id="target-region" label="Region" value={f.region} placeholder="eu-west-1" onChange={(region) => set({ region })} />
          <TextField
            id="target-profile"
            label="Profile (optional)"
            value={f.profile}
            placeholder="default chain"
            onChange={(profile) => set({ profile })}
          />
          <TextField
            id="target-endpoint"
            label="Endpoint URL (optional)"
            value={f.endpoint}
            placeholder="http://localhost:4566"
            onChange={(endpoint) => set({ endpoint })}
          />
          <TextField
            id="target-kms"
            label="KMS key (optional)"
            value={f.kmsKeyId}
            placeholder="alias/app"
            onChange={(kmsKeyId) => set({ kmsKeyId })}
          />
          <p className="form-note form-wide">
            Credentials come from the AWS SDK's default chain (environment, ~/.aws files and profiles, SSO, container or instance metadata).
            Keyturn never asks for, shows or stores an access key.
          </p>
        </>
      ) : (
        <>
          <TextField
            id="target-vault"
            label="Vault URL"
            value={f.vaultUrl}
            placeholder="https://NAME.vault.azure.net"
            onChange={(vaultUrl) => set({ vaultUrl })}
          />
          <label>
            <span>Credential</span>
            <select value={f.credential} onChange={(e) => set({ credential: e.target.value as AzureCredentialKind })}>
              {AZURE_CREDENTIAL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k === 'default' ? 'default (DefaultAzureCredential)' : k}
                </option>
              ))}
            </select>
          </label>
          <TextField id="target-tenant" label="Tenant (optional)" value={f.tenant} onChange={(tenant) => set({ tenant })} />
          <TextField
            id="target-authority"
            label="Authority host (optional)"
            value={f.authorityHost}
            placeholder="AZURE_AUTHORITY_HOST"
            onChange={(authorityHost) => set({ authorityHost })}
          />
          <TextField
            id="target-api"
            label="api-version (optional)"
            value={f.apiVersion}
            placeholder="SDK default"
            onChange={(apiVersion) => set({ apiVersion })}
          />
          <TextField
            id="target-ca"
            label="CA file (optional)"
            value={f.caFile}
            placeholder="/path/to/ca.pem"
            onChange={(caFile) => set({ caFile })}
          />
          <label className="inline-check form-wide">
            <input type="checkbox" checked={f.customDomain} onChange={(e) => set({ customDomain: e.target.checked })} />
            <span>The vault is reached through a custom domain (skip the challenge resource check)</span>
          </label>
        </>
      )}
      <div className="form-actions form-wide">
        <button type="submit" className="button-primary" disabled={add.pending}>
          {add.pending ? 'Adding…' : 'Add target'}
        </button>
      </div>
      <div className="form-wide">
        <ErrorNotice error={add.error} onDismiss={add.clearError} />
      </div>
    </form>
  );
}
