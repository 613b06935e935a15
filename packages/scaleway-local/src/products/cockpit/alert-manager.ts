import { randomUUID } from "node:crypto";
import { preconditionFailed } from "../../http/errors";
import type { Collection, Store, StoredRecord } from "../../state/store";
import type { AlertRules } from "./alert-rules";
import type { ContactPoints } from "./contact-points";
import type { Region } from "./request";

interface AlertManagerRecord extends StoredRecord {
  region: Region;
  project_id: string;
  enabled: boolean;
  /** Names the Alert manager's host; kept across disable/enable so its URL is stable. */
  host_id: string;
  test_alerts: number;
}

/**
 * The Alert manager of a project in a region: off until enabled. Disabling it deletes
 * the contact points and turns managed alerts off, as the API documents.
 */
export class AlertManagers {
  private readonly records: Collection<AlertManagerRecord>;

  constructor(
    store: Store,
    private readonly rules: AlertRules,
    private readonly contactPoints: ContactPoints,
  ) {
    this.records = store.collection<AlertManagerRecord>("cockpit.alert-managers");
  }

  enable(region: Region, projectId: string): void {
    const record = this.record(region, projectId);
    this.records.update(record.id, { enabled: true });
  }

  disable(region: Region, projectId: string): void {
    const record = this.record(region, projectId);
    this.contactPoints.deleteAll(region, projectId);
    this.rules.reset(region, projectId);
    this.records.update(record.id, { enabled: false });
  }

  enableManagedAlerts(region: Region, projectId: string): void {
    this.requireEnabled(region, projectId);
    this.rules.enableAll(region, projectId);
  }

  disableManagedAlerts(region: Region, projectId: string): void {
    this.requireEnabled(region, projectId);
    this.rules.disableAll(region, projectId);
  }

  triggerTestAlert(region: Region, projectId: string): void {
    const record = this.requireEnabled(region, projectId);
    // Nothing is sent from here; the count lets tests see that the alert was triggered.
    this.records.update(record.id, { test_alerts: record.test_alerts + 1 });
  }

  requireEnabled(region: Region, projectId: string): AlertManagerRecord {
    const record = this.record(region, projectId);
    if (!record.enabled) {
      throw preconditionFailed("alert_manager_enabled", "enable the Alert manager of this project and region first");
    }
    return record;
  }

  view(region: Region, projectId: string): Record<string, unknown> {
    const record = this.records.get(key(region, projectId));
    const enabled = record?.enabled ?? false;
    return {
      alert_manager_url: enabled ? `https://${record!.host_id}.alertmanager.cockpit.${region}.scw.cloud` : null,
      alert_manager_enabled: enabled,
      managed_alerts_enabled: enabled && this.rules.anyActive(region, projectId),
      region,
    };
  }

  private record(region: Region, projectId: string): AlertManagerRecord {
    return (
      this.records.get(key(region, projectId)) ??
      this.records.insert({
        id: key(region, projectId),
        region,
        project_id: projectId,
        enabled: false,
        host_id: randomUUID(),
        test_alerts: 0,
      })
    );
  }
}

function key(region: Region, projectId: string): string {
  return `${region}/${projectId}`;
}
