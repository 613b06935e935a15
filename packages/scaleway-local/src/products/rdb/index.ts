import type { Product } from "../../context";
import { Acls, registerAcls } from "./acls";
import { Backups, registerBackups } from "./backups";
import { registerCatalogue } from "./catalogue";
import { Databases, registerDatabases } from "./databases";
import { Endpoints, registerEndpoints } from "./endpoints";
import { Instances, registerInstances } from "./instances";
import { Logs, registerLogs } from "./logs";
import { RdbModel } from "./model";
import { Privileges, registerPrivileges } from "./privileges";
import { ReadReplicas, registerReadReplicas } from "./readReplicas";
import { registerSettings, Settings } from "./settings";
import { registerSnapshots, Snapshots } from "./snapshots";
import { registerUsers, Users } from "./users";

/**
 * Managed Databases for PostgreSQL (rdb v1): the REST API, each PostgreSQL instance and
 * Read Replica backed by a real PostgreSQL server on 127.0.0.1.
 */
export const rdb: Product = {
  name: "rdb",
  register(routes, context) {
    const model = new RdbModel(context);
    const privileges = new Privileges(model);
    const endpoints = new Endpoints(model);
    const users = new Users(model, privileges);
    const instances = new Instances(model, endpoints, privileges);
    const replicas = new ReadReplicas(model, endpoints, instances);

    registerCatalogue(routes);
    registerInstances(routes, instances);
    registerEndpoints(routes, endpoints);
    registerSettings(routes, new Settings(model));
    registerAcls(routes, new Acls(model));
    registerDatabases(routes, new Databases(model, privileges));
    registerUsers(routes, users);
    registerPrivileges(routes, privileges);
    registerBackups(routes, new Backups(model, privileges));
    registerSnapshots(routes, new Snapshots(model, instances));
    registerReadReplicas(routes, replicas);
    registerLogs(routes, new Logs(model));

    // A restart with the same data folder starts the servers kept there again.
    instances.resume();
    replicas.resume();
    context.onStop(() => model.servers.stopAll());
  },
};
