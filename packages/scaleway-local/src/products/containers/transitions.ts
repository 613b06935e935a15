import type { Lifecycle, WithLifecycle } from "../../state/lifecycle";

/** Status a deletion moves to: the record is then forgotten and answers 404. */
export const GONE = "gone";

export interface Observed extends WithLifecycle {
  /** Set while the transition has not been read yet. */
  _unread?: boolean;
}

/**
 * The shared life cycle, with one rule of the real API on top: a status change takes
 * seconds there, so the first read after a create, update or delete always shows the
 * transitional status (`creating`, `updating`, `deleting`), however short the local
 * delay. Clients that poll until `ready` or 404 then see what they see in production.
 */
export class Transitions {
  constructor(private readonly lifecycle: Lifecycle) {}

  /** Puts a record in `status` until it moves to `to`; `visible` makes the next read show `status`. */
  begin<T extends Observed>(record: T, status: string, to: string, visible = true): T {
    this.lifecycle.begin(record, status, to);
    if (visible) record._unread = true;
    else delete record._unread;
    return record;
  }

  /** Applies a due status change on an API read; true when the record changed. */
  read(record: Observed): boolean {
    if (record._unread) {
      delete record._unread;
      return true;
    }
    return this.lifecycle.settle(record);
  }

  /** The status the resource really has, by time alone, without reading it (for the container endpoints). */
  peek(record: Observed): string {
    const copy: WithLifecycle = { status: record.status, ...(record._next ? { _next: record._next } : {}) };
    this.lifecycle.settle(copy);
    return String(copy.status);
  }
}
