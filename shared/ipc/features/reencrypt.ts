// The re-encrypt feature's channels: scan and verify a database named by a .env file and a variable. The run itself is
// a job (startJob with kind "reencrypt", then the jobs channels); retiring the old version is keys' retireKeyVersion.
import type { CensusReport, RowReport } from '../../domain/reencrypt.js';

/** Where the database is: a variable (DATABASE_URL) read from a .env file the user picked; never a URL or password. */
export interface ReencryptConnection {
  envFile: string;
  dbEnv: string;
}

export interface ReencryptScanRequest extends ReencryptConnection {
  /** A Fernet key in the keychain: its current version is the new key, its other versions the old ones. */
  keyName: string;
  table?: string;
  schema?: string;
}

export interface ReencryptTableRequest extends ReencryptConnection {
  keyName: string;
  table: string;
  columns: string[];
  pk?: string[];
  schema?: string;
}

/** What the page starts as a job (startJob kind "reencrypt"). */
export interface ReencryptStartParams extends ReencryptTableRequest {
  dryRun?: boolean;
  batchSize?: number;
}

export type ReencryptContract = {
  reencryptScan: (req: ReencryptScanRequest) => Promise<CensusReport>;
  reencryptVerify: (req: ReencryptTableRequest) => Promise<CensusReport>;
  /** The rows a job left for a person to look at (poison tokens, rows deleted meanwhile), by key. */
  reencryptRows: (req: { jobId: string }) => Promise<RowReport[]>;
};

export const REENCRYPT_CHANNELS = [
  'reencryptScan',
  'reencryptVerify',
  'reencryptRows',
] as const satisfies readonly (keyof ReencryptContract)[];
