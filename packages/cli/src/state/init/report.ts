import { paint } from "../../output";

/** What init did to one resource or setting; a second run on a ready backend says `unchanged` everywhere. */
export type InitStatus = "created" | "updated" | "unchanged";

export interface InitItem {
  /** bucket, bucket-setting, iam-application, iam-policy, api-key, secret, table, index. */
  readonly kind: string;
  /** What it is, as the operator would look for it: "bucket sovstack-state (fr-par)", "secret /sovstack/x". */
  readonly name: string;
  readonly status: InitStatus;
  /** IDs and facts worth knowing: the application ID, the access key, the days kept. */
  readonly detail?: string;
}

/** The CI identity's new API key; its secret is printed only with --show-secret. */
export interface NewApiKey {
  readonly accessKey: string;
  readonly secretKey: string;
}

/** Everything init looked at, with its status, then warnings and notes for the operator. */
export class InitReport {
  readonly items: InitItem[] = [];
  readonly warnings: string[] = [];
  readonly notes: string[] = [];
  /** What CI and the other commands need set to use this backend. */
  readonly ciVariables: Record<string, string> = {};
  newApiKey: NewApiKey | undefined;

  constructor(
    readonly backend: string,
    private readonly log: (message: string) => void = () => {},
  ) {}

  add(item: InitItem): void {
    this.items.push(item);
    this.log(`${item.name}: ${describe(item.status)}`);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  note(message: string): void {
    this.notes.push(message);
  }

  /** Whether this run changed anything. */
  get changed(): boolean {
    return this.items.some((item) => item.status !== "unchanged");
  }

  toJSON(showSecret: boolean): Record<string, unknown> {
    return {
      backend: this.backend,
      changed: this.changed,
      resources: this.items,
      ciVariables: this.ciVariables,
      warnings: this.warnings,
      notes: this.notes,
      ...(this.newApiKey
        ? {
            newApiKey: {
              accessKey: this.newApiKey.accessKey,
              ...(showSecret ? { secretKey: this.newApiKey.secretKey } : {}),
            },
          }
        : {}),
    };
  }

  /** One line per resource, status first, then warnings and notes. */
  toText(showSecret: boolean, stream: NodeJS.WriteStream = process.stdout): string {
    const width = Math.max(...this.items.map((item) => describe(item.status).length), 0);
    const colour = { created: "green", updated: "yellow", unchanged: "dim" } as const;
    const lines = [`State backend ${this.backend}`];
    for (const item of this.items) {
      const status = describe(item.status).padEnd(width);
      lines.push(
        `  ${paint(status, colour[item.status], stream)}  ${item.name}${item.detail ? ` (${item.detail})` : ""}`,
      );
    }
    if (this.newApiKey) {
      lines.push(
        showSecret
          ? `CI API key ${this.newApiKey.accessKey}, secret key ${this.newApiKey.secretKey} (shown once: keep it in your CI's secret store)`
          : `CI API key ${this.newApiKey.accessKey}: its secret key is in Secret Manager only (add --show-secret to print it)`,
      );
    }
    for (const [name, value] of Object.entries(this.ciVariables)) lines.push(`${name}=${value}`);
    for (const warning of this.warnings) lines.push(`${paint("warning:", "yellow", stream)} ${warning}`);
    for (const note of this.notes) lines.push(`note: ${note}`);
    lines.push(this.changed ? "The state backend is ready." : "The state backend was already ready; nothing changed.");
    return `${lines.join("\n")}\n`;
  }
}

function describe(status: InitStatus): string {
  return status === "unchanged" ? "exists, unchanged" : status;
}
