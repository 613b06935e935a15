import { notFound } from "../../http/errors";
import type { ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import type { RdbModel } from "./model";
import type { InstanceLogRecord } from "./records";
import { logView } from "./views";

const DAY = 24 * 3600_000;

/**
 * Instance logs: the service prepares a log file for a time range and gives a download
 * URL. The local Scaleway keeps the records and their life cycle; the URL leads nowhere.
 */
export class Logs {
  constructor(private readonly model: RdbModel) {}

  prepare(region: string, instanceId: string) {
    const instance = this.model.usableInstance(region, instanceId);
    const log = this.model.logs.insert({
      id: this.model.newId(),
      region,
      instance_id: instance.id,
      status: "creating",
      node_name: String(10_000_000 + Math.floor(Math.random() * 89_999_999)),
      download_url: null,
      expires_at: new Date(Date.now() + DAY).toISOString(),
      created_at: nowIso(),
    });
    this.model.transition(this.model.logs, log, "creating", "ready");
    return { instance_logs: [logView(this.settled(log))] };
  }

  list(region: string, instanceId: string, query: Readonly<Record<string, string>>) {
    const instance = this.model.instance(region, instanceId);
    const logs = this.model.logs.list((l) => l.instance_id === instance.id).map((l) => logView(this.settled(l)));
    if (query.order_by === "created_at_desc") logs.reverse();
    return { instance_logs: logs };
  }

  get(region: string, id: string) {
    const log = this.model.logs.get(id);
    if (!log || log.region !== region) throw notFound("instance_log", id);
    return logView(this.settled(log));
  }

  purge(region: string, instanceId: string) {
    const instance = this.model.usableInstance(region, instanceId);
    for (const log of this.model.logs.list((l) => l.instance_id === instance.id)) this.model.logs.delete(log.id);
  }

  details(region: string, instanceId: string) {
    this.model.instance(region, instanceId);
    return { details: [] };
  }

  private settled(log: InstanceLogRecord): InstanceLogRecord {
    this.model.settle(this.model.logs, log);
    if (log.status === "ready" && !log.download_url) {
      log.download_url = `https://s3.${log.region}.scw.cloud/rdb-logs/${log.instance_id}/${log.id}.log`;
      this.model.logs.touch();
    }
    return log;
  }
}

export function registerLogs(routes: ProductRoutes, logs: Logs) {
  const base = "/rdb/v1/regions/:region";
  routes.post(`${base}/instances/:id/prepare-logs`, "PrepareInstanceLogs", ({ params }) => ({
    body: logs.prepare(params.region!, params.id!),
  }));
  routes.get(`${base}/instances/:id/logs`, "ListInstanceLogs", ({ params, query }) => ({
    body: logs.list(params.region!, params.id!, query),
  }));
  routes.get(`${base}/logs/:id`, "GetInstanceLog", ({ params }) => ({ body: logs.get(params.region!, params.id!) }));
  routes.post(`${base}/instances/:id/purge-logs`, "PurgeInstanceLogs", ({ params }) => {
    logs.purge(params.region!, params.id!);
    return { status: 204 };
  });
  routes.get(`${base}/instances/:id/logs-details`, "ListInstanceLogsDetails", ({ params }) => ({
    body: logs.details(params.region!, params.id!),
  }));
}
