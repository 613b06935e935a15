import { conflict, invalidArgument, notFound } from "../../http/errors";
import type { Collection, Store, StoredRecord } from "../../state/store";
import type { Region } from "./request";

interface ContactPointRecord extends StoredRecord {
  region: Region;
  project_id: string;
  email: string;
  send_resolved_notifications: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** E-mail contact points of the default receiver of a project's Alert manager. */
export class ContactPoints {
  private readonly records: Collection<ContactPointRecord>;

  constructor(store: Store) {
    this.records = store.collection<ContactPointRecord>("cockpit.contact-points");
  }

  /** The `email.to` of a request body, checked. */
  static emailOf(body: Record<string, unknown>): string {
    const email = body.email as { to?: unknown } | undefined;
    if (!email || email.to === undefined || email.to === "") {
      throw invalidArgument("email.to", "an e-mail contact point is required", "required");
    }
    if (typeof email.to !== "string" || !EMAIL.test(email.to)) {
      throw invalidArgument("email.to", "must be a valid e-mail address");
    }
    return email.to;
  }

  create(region: Region, projectId: string, email: string, sendResolved: boolean): ContactPointRecord {
    const id = key(region, projectId, email);
    if (this.records.get(id)) throw conflict("contact point", email, "contact point already exists");
    return this.records.insert({
      id,
      region,
      project_id: projectId,
      email,
      send_resolved_notifications: sendResolved,
    });
  }

  list(region: Region, projectId: string): ContactPointRecord[] {
    return this.records.list((r) => r.region === region && r.project_id === projectId);
  }

  update(region: Region, projectId: string, email: string, sendResolved: boolean | undefined): ContactPointRecord {
    const record = this.require(region, projectId, email);
    if (sendResolved === undefined) return record;
    return this.records.update(record.id, { send_resolved_notifications: sendResolved });
  }

  delete(region: Region, projectId: string, email: string): void {
    this.records.delete(this.require(region, projectId, email).id);
  }

  deleteAll(region: Region, projectId: string): void {
    for (const record of this.list(region, projectId)) this.records.delete(record.id);
  }

  view(record: ContactPointRecord): Record<string, unknown> {
    return {
      email: { to: record.email },
      region: record.region,
      send_resolved_notifications: record.send_resolved_notifications,
    };
  }

  private require(region: Region, projectId: string, email: string): ContactPointRecord {
    const record = this.records.get(key(region, projectId, email));
    if (!record) throw notFound("contact point", email);
    return record;
  }
}

function key(region: Region, projectId: string, email: string): string {
  return `${region}/${projectId}/${email.toLowerCase()}`;
}
