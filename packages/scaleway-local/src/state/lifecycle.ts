/**
 * Status life cycles (`creating` -> `ready`, `provisioning` -> `ready`, `deleting` -> gone):
 * a record in a transitional status carries the status it moves to and when. The move
 * happens on the first read after that time, so clients that poll see what the real
 * API shows them.
 */
export interface Transition {
  readonly to: string;
  readonly at: number;
}

export interface WithLifecycle {
  status?: unknown;
  _next?: Transition;
}

export class Lifecycle {
  constructor(
    /** How long a transitional status lasts, in milliseconds. */
    readonly delayMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Puts a record in `status` until it moves to `to`. */
  begin<T extends WithLifecycle>(record: T, status: string, to: string, delayMs = this.delayMs): T {
    record.status = status;
    record._next = { to, at: this.now() + delayMs };
    return record;
  }

  /** Applies a due transition; true when the record changed. */
  settle(record: WithLifecycle): boolean {
    const next = record._next;
    if (!next || next.at > this.now()) return false;
    record.status = next.to;
    delete record._next;
    return true;
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}
