import { randomBytes } from "node:crypto";
import { conflict, invalidArgument, notFound } from "../../http/errors";
import type { Collection, Store, StoredRecord } from "../../state/store";
import type { ProjectSettingsStore } from "./project-settings";

export const GRAFANA_ROLES = ["editor", "viewer"] as const;
export type GrafanaRole = (typeof GRAFANA_ROLES)[number];

interface GrafanaUserRecord extends StoredRecord {
  project_id: string;
  user_id: number;
  login: string;
  role: GrafanaRole;
}

const LOGIN = /^[a-zA-Z0-9_.-]{2,64}$/;

/** A project's Grafana: its URL and the users created through the API. */
export class Grafana {
  private readonly users: Collection<GrafanaUserRecord>;

  constructor(
    store: Store,
    private readonly settings: ProjectSettingsStore,
  ) {
    this.users = store.collection<GrafanaUserRecord>("cockpit.grafana-users");
  }

  url(projectId: string): string {
    return `https://${projectId}.dashboard.cockpit.scaleway.com`;
  }

  /** Creates a user; the password is answered now and never again. */
  createUser(projectId: string, login: string, role: GrafanaRole): { user: GrafanaUserRecord; password: string } {
    if (!LOGIN.test(login)) throw invalidArgument("login", "login must be 2 to 64 letters, digits, '.', '_' or '-'");
    if (login === "admin") throw invalidArgument("login", "the admin login is reserved");
    if (this.listUsers(projectId).some((user) => user.login === login)) {
      throw conflict("grafana_user", login, "a Grafana user with this login already exists");
    }
    const settings = this.settings.get(projectId);
    const userId = settings.next_grafana_user_id;
    this.settings.save({ ...settings, next_grafana_user_id: userId + 1 });
    const user = this.users.insert({ id: key(projectId, userId), project_id: projectId, user_id: userId, login, role });
    return { user, password: newPassword() };
  }

  listUsers(projectId: string): GrafanaUserRecord[] {
    return this.users.list((user) => user.project_id === projectId);
  }

  deleteUser(projectId: string, userId: number): void {
    this.users.delete(this.requireUser(projectId, userId).id);
  }

  resetPassword(projectId: string, userId: number): { user: GrafanaUserRecord; password: string } {
    return { user: this.requireUser(projectId, userId), password: newPassword() };
  }

  userView(user: GrafanaUserRecord, password = ""): Record<string, unknown> {
    return { id: user.user_id, login: user.login, role: user.role, password };
  }

  private requireUser(projectId: string, userId: number): GrafanaUserRecord {
    const user = this.users.get(key(projectId, userId));
    if (!user) throw notFound("grafana_user", String(userId));
    return user;
  }
}

function key(projectId: string, userId: number): string {
  return `${projectId}/${userId}`;
}

function newPassword(): string {
  return randomBytes(12).toString("base64url");
}
