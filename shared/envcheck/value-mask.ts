// Describes a value without revealing it: its length and which character classes it uses, never a character of it.

export function utf8Length(value: string): number {
  return new TextEncoder().encode(value).length;
}

/** e.g. "43 characters: upper-case, lower-case, digits, symbols". A prefix or suffix would leak key material. */
export function describeValue(value: string): string {
  const classes: string[] = [];
  if (/[A-Z]/.test(value)) classes.push('upper-case');
  if (/[a-z]/.test(value)) classes.push('lower-case');
  if (/[0-9]/.test(value)) classes.push('digits');
  if (/[!-/:-@[-`{-~]/.test(value)) classes.push('symbols');
  if (/\s/.test(value)) classes.push('whitespace');
  // eslint-disable-next-line no-control-regex -- control characters are a class worth naming
  if (/[\x00-\x08\x0e-\x1f\x7f]/.test(value)) classes.push('control characters');
  if (/[\u0080-\uffff]/.test(value)) classes.push('non-ASCII');
  const count = [...value].length;
  const length = `${count} character${count === 1 ? '' : 's'}`;
  return classes.length > 0 ? `${length}: ${classes.join(', ')}` : length;
}
