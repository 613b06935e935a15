import { invalidArgument } from "../../http/errors";
import type { Lifecycle } from "../../state/lifecycle";
import type { Collection, Store, StoredRecord } from "../../state/store";
import { PRECONFIGURED_RULES, ruleIdOf, type PreconfiguredRule } from "./alert-rule-catalogue";
import type { Region } from "./request";

export const RULE_STATUSES = ["enabled", "disabled", "enabling", "disabling"] as const;
export type RuleStatus = (typeof RULE_STATUSES)[number];
export const ALERT_STATES = ["inactive", "pending", "firing"] as const;

/** A preconfigured rule's status in one project and region; absent means disabled. */
interface RuleStatusRecord extends StoredRecord {
  status: RuleStatus;
  _next?: { to: string; at: number };
}

export interface AlertFilter {
  readonly status?: RuleStatus;
  readonly preconfigured?: boolean;
  readonly state?: string;
}

const BY_ID = new Map(PRECONFIGURED_RULES.map((rule) => [ruleIdOf(rule), rule]));

/**
 * Preconfigured ("managed") alert rules per project and region. Enabling or disabling
 * passes through `enabling` / `disabling` as the real API does while it deploys the rules.
 */
export class AlertRules {
  private readonly records: Collection<RuleStatusRecord>;

  constructor(
    store: Store,
    private readonly lifecycle: Lifecycle,
  ) {
    this.records = store.collection<RuleStatusRecord>("cockpit.alert-rules");
  }

  /** Rule IDs, checked against the catalogue, sorted as the API answers them. */
  checkIds(ids: readonly string[]): string[] {
    if (ids.length === 0) throw invalidArgument("rule_ids", "rule_ids is required", "required");
    const unknown = ids.find((id) => !BY_ID.has(id));
    if (unknown) throw invalidArgument("rule_ids", `${unknown} is not a preconfigured alert rule`);
    return [...new Set(ids)].sort();
  }

  enable(region: Region, projectId: string, ids: readonly string[]): void {
    for (const id of ids) {
      const status = this.status(region, projectId, id);
      if (status === "enabled" || status === "enabling") continue;
      this.begin(region, projectId, id, "enabling", "enabled");
    }
  }

  disable(region: Region, projectId: string, ids: readonly string[]): void {
    for (const id of ids) {
      const status = this.status(region, projectId, id);
      if (status === "disabled" || status === "disabling") continue;
      this.begin(region, projectId, id, "disabling", "disabled");
    }
  }

  enableAll(region: Region, projectId: string): void {
    this.enable(region, projectId, [...BY_ID.keys()]);
  }

  disableAll(region: Region, projectId: string): void {
    this.disable(region, projectId, [...BY_ID.keys()]);
  }

  /** Forgets every status at once (the Alert manager was disabled). */
  reset(region: Region, projectId: string): void {
    for (const id of BY_ID.keys()) this.records.delete(key(region, projectId, id));
  }

  /** Managed alerts are on while any preconfigured rule is on or turning on. */
  anyActive(region: Region, projectId: string): boolean {
    return [...BY_ID.keys()].some((id) => {
      const status = this.status(region, projectId, id);
      return status === "enabled" || status === "enabling";
    });
  }

  enabledCount(region: Region, projectId: string): number {
    return [...BY_ID.keys()].filter((id) => this.status(region, projectId, id) === "enabled").length;
  }

  list(region: Region, projectId: string, filter: AlertFilter): Record<string, unknown>[] {
    // Only preconfigured rules live here; custom rules are written to the data sources' rulers.
    if (filter.preconfigured === false) return [];
    return PRECONFIGURED_RULES.map((rule) => this.view(region, rule, this.status(region, projectId, ruleIdOf(rule))))
      .filter((alert) => !filter.status || alert.rule_status === filter.status)
      .filter((alert) => !filter.state || alert.state === filter.state);
  }

  private view(region: Region, rule: PreconfiguredRule, status: RuleStatus): Record<string, unknown> {
    const a = rule.annotations;
    return {
      region,
      preconfigured: true,
      name: rule.name,
      rule: rule.rule,
      duration: rule.duration,
      rule_status: status,
      // An enabled rule is evaluated; nothing fires locally, so it stays inactive.
      state: status === "enabled" ? "inactive" : "unknown_state",
      annotations: a,
      preconfigured_data: {
        preconfigured_rule_id: ruleIdOf(rule),
        display_name: a.display_name ?? "",
        display_description: a.display_description ?? "",
        product_name: a.product ?? "",
        product_family: a.family ?? "",
      },
      data_source_id: "",
    };
  }

  private status(region: Region, projectId: string, ruleId: string): RuleStatus {
    const record = this.records.get(key(region, projectId, ruleId));
    if (!record) return "disabled";
    if (this.lifecycle.settle(record)) this.records.touch();
    return record.status;
  }

  private begin(region: Region, projectId: string, ruleId: string, status: RuleStatus, to: RuleStatus): void {
    const record: RuleStatusRecord = { id: key(region, projectId, ruleId), status };
    this.records.insert(this.lifecycle.begin(record, status, to));
  }
}

function key(region: Region, projectId: string, ruleId: string): string {
  return `${region}/${projectId}/${ruleId}`;
}
