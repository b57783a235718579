// Environments that keep the real SDKs on loopback: explicit test credentials, no instance metadata probe, no shared
// config files of the person running the tests, no proxy, and the loopback guard loaded in every child process.
import { join } from 'node:path';
import { AWS_TEST_CREDENTIALS } from './aws-secrets-server.js';
import { AZURE_TEST_CLIENT, AZURE_TEST_TENANT } from './azure-test-cloud.js';

/** Variables the SDKs read that could send a test elsewhere, removed from every test environment. */
export const CLOUD_VARIABLES = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ENDPOINT_URL',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_USERNAME',
  'AZURE_PASSWORD',
  'AZURE_AUTHORITY_HOST',
  'AZURE_FEDERATED_TOKEN_FILE',
  'IDENTITY_ENDPOINT',
  'MSI_ENDPOINT',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'http_proxy',
  'https_proxy',
  'ALL_PROXY',
  'NO_PROXY',
  'no_proxy',
  'KEYTURN_OFFLINE',
];

/** No credentials at all: metadata off, shared files pointed at nothing. */
export function bareCloudEnv(dir: string): NodeJS.ProcessEnv {
  return {
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export function awsTestEnv(dir: string): NodeJS.ProcessEnv {
  return {
    ...bareCloudEnv(dir),
    AWS_ACCESS_KEY_ID: AWS_TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: AWS_TEST_CREDENTIALS.secretAccessKey,
  };
}

/** The service principal EnvironmentCredential turns into a ClientSecretCredential, pointed at the test authority. */
export function azureTestEnv(dir: string, authorityHost: string): NodeJS.ProcessEnv {
  return {
    ...bareCloudEnv(dir),
    AZURE_TENANT_ID: AZURE_TEST_TENANT,
    AZURE_CLIENT_ID: AZURE_TEST_CLIENT.clientId,
    AZURE_CLIENT_SECRET: AZURE_TEST_CLIENT.clientSecret,
    AZURE_AUTHORITY_HOST: authorityHost,
  };
}

/** Replaces this process's cloud variables with `env` (for in-process adapter tests). */
export function useCloudEnv(env: NodeJS.ProcessEnv): void {
  for (const name of CLOUD_VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
}
