// The one rule for environment variable names, as shells, dotenv and Docker accept them (capped at 128 characters).

export const ENV_VAR_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export const ENV_VAR_NAME_RULE = 'letters, digits and "_", not starting with a digit, at most 128 characters';

export function isEnvVarName(value: string): boolean {
  return ENV_VAR_NAME_PATTERN.test(value);
}
