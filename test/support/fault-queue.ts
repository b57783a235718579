// Faults a loopback cloud test server injects on request: throttling, 500s, slow answers, dropped connections, a
// server that stores something else, denials. Each is used up after `times` matching requests.
export type FaultKind =
  /** Answer as throttled (AWS ThrottlingException, Azure 429). */
  | 'throttle'
  /** Answer 500. */
  | 'error500'
  /** Wait `ms` before answering. */
  | 'slow'
  /** Close the connection without an answer, before doing anything. */
  | 'drop'
  /** Do the work, then close the connection without an answer (the client cannot know it happened). */
  | 'drop-after'
  /** Store a different value than the one sent. */
  | 'tamper'
  /** Answer access denied. */
  | 'deny'
  /** AWS: the KMS key cannot be used. */
  | 'kms';

export interface Fault {
  kind: FaultKind;
  /** Only requests for this action (AWS: the X-Amz-Target action; Azure: get, set, recover, getDeleted, list, token). */
  action?: string;
  /** How many matching requests it applies to (default 1; Infinity for all). */
  times?: number;
  ms?: number;
}

export class FaultQueue {
  private faults: (Fault & { left: number })[] = [];

  add(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** The faults for this request (at most one of each kind), each used once. */
  take(action: string): Map<FaultKind, Fault> {
    const taken = new Map<FaultKind, Fault>();
    for (const fault of this.faults) {
      if (fault.left <= 0 || (fault.action !== undefined && fault.action !== action) || taken.has(fault.kind)) continue;
      fault.left -= 1;
      taken.set(fault.kind, fault);
    }
    this.faults = this.faults.filter((f) => f.left > 0);
    return taken;
  }
}
