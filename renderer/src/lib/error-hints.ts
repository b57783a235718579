// The host's sentences say what to do in words; where the page has a control for it, the page names that control.
import type { IpcError } from '../../../shared/ipc/result.js';

/** The error with `hint` appended when its code is `code` (e.g. "already-exists" -> "Tick ... to do that."). */
export function withHint(error: IpcError | undefined, code: string, hint: string): IpcError | undefined {
  if (!error || error.code !== code) return error;
  return { ...error, message: `${error.message} ${hint}` };
}
