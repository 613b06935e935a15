import type { Collection, Store, StoredRecord } from "../../state/store";

export interface ProjectSettings extends StoredRecord {
  /** Pricing plan (deprecated by Scaleway, still answered). */
  plan: string;
  /** Grafana numbers its users; 1 is the admin Scaleway keeps for itself. */
  next_grafana_user_id: number;
}

/** Cockpit's global, per-project settings: plan and the Grafana user sequence. */
export class ProjectSettingsStore {
  private readonly records: Collection<ProjectSettings>;

  constructor(store: Store) {
    this.records = store.collection<ProjectSettings>("cockpit.projects");
  }

  get(projectId: string): ProjectSettings {
    return this.records.get(projectId) ?? { id: projectId, plan: "free", next_grafana_user_id: 2 };
  }

  save(settings: ProjectSettings): void {
    if (this.records.get(settings.id)) this.records.update(settings.id, settings);
    else this.records.insert(settings);
  }
}
