import { randomBytes } from "node:crypto";
import { chown, lstat, mkdir, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { baseBackup, type Upstream } from "./baseBackup";
import { PostgresCluster } from "./cluster";
import { copyFolder } from "./files";
import { ensureReachable, exists, serverOsUser, type OsUser } from "./osUser";
import { freePort } from "./ports";
import { setSuperuserPassword } from "./sql";
import { clusterTemplate, SUPERUSER } from "./template";
import type { ServerCertificate } from "./tls";

/** What a server needs to start again after a restart of the local Scaleway. */
export interface ServerSecrets {
  readonly port: number;
  readonly password: string;
}

/** What a new server gets: its superuser password, its TLS certificate, a port (else a free one). */
export interface NewServer {
  readonly password: string;
  readonly certificate: ServerCertificate;
  readonly port?: number;
}

export interface ClusterManagerOptions {
  /** Folder of the data folders (`<dataDir>/postgres`); unset: a temporary folder removed by {@link stopAll}. */
  readonly root?: string;
  /** Told when a server moved to another port. */
  readonly onPortChange?: (id: string, port: number) => void;
}

/**
 * The real PostgreSQL servers of the local Scaleway, one per instance or Read Replica, in
 * `<root>/<id>`; snapshots are stopped copies in `<root>/snapshots/<id>`. New servers are
 * copies of a template made once per process; copies of running servers are base backups.
 */
export class ClusterManager {
  private readonly clusters = new Map<string, PostgresCluster>();
  private rootFolder: Promise<string> | undefined;

  constructor(private readonly options: ClusterManagerOptions = {}) {}

  /**
   * The OS account servers run as, looked up when first needed: a machine that cannot run
   * PostgreSQL still serves the rest of the local Scaleway (its instances end in `error`).
   */
  private get owner(): OsUser | undefined {
    return serverOsUser();
  }

  get(id: string): PostgresCluster | undefined {
    return this.clusters.get(id);
  }

  /** A new server with an empty `rdb` database, its superuser password and its TLS certificate. */
  async create(id: string, options: NewServer): Promise<PostgresCluster> {
    const template = await clusterTemplate();
    const dataDir = await this.dataDirOf(id);
    await copyFolder(template.dataDir, dataDir);
    await this.installCertificate(dataDir, options.certificate);
    const cluster = this.register(id, dataDir, options.port ?? (await freePort()), template.password);
    await cluster.start();
    await setSuperuserPassword(cluster, template.password, options.password);
    return cluster;
  }

  /** A server whose data folder is already there (the local Scaleway restarted); not started yet. */
  async open(id: string, secrets: ServerSecrets): Promise<PostgresCluster> {
    const dataDir = await this.dataDirOf(id);
    if (!(await exists(join(dataDir, "PG_VERSION"))))
      throw new Error(`The data folder of ${id} (${dataDir}) is missing; its databases are lost.`);
    return this.register(id, dataDir, secrets.port, secrets.password);
  }

  /**
   * A new server holding what `sourceId` holds now (clone, major upgrade). With `follow`, a
   * hot standby streaming from it, which keeps the source's superuser password.
   */
  async clone(sourceId: string, id: string, options: NewServer & { follow?: boolean }): Promise<PostgresCluster> {
    const source = this.require(sourceId);
    await source.start();
    const dataDir = await this.dataDirOf(id);
    const upstream: Upstream | undefined = options.follow
      ? { port: source.port, user: source.superuser, password: source.password }
      : undefined;
    await baseBackup(source, dataDir, { owner: this.owner, upstream });
    await this.installCertificate(dataDir, options.certificate);
    const cluster = this.register(id, dataDir, options.port ?? (await freePort()), source.password);
    await cluster.start();
    if (!options.follow) await setSuperuserPassword(cluster, source.password, options.password);
    return cluster;
  }

  /** A stopped, consistent copy of a running server, to make instances from later; answers its size. */
  async saveSnapshot(sourceId: string, snapshotId: string): Promise<number> {
    const source = this.require(sourceId);
    await source.start();
    await mkdir(join(await this.root(), "snapshots"), { recursive: true });
    const folder = join(await this.root(), "snapshots", snapshotId);
    await baseBackup(source, folder, { owner: this.owner });
    return folderSize(folder);
  }

  /** A new server from a snapshot; `snapshotPassword` is the superuser password the snapshot holds. */
  async restoreSnapshot(
    snapshotId: string,
    id: string,
    options: NewServer & { snapshotPassword: string },
  ): Promise<PostgresCluster> {
    const folder = join(await this.root(), "snapshots", snapshotId);
    if (!(await exists(folder))) throw new Error(`The files of snapshot ${snapshotId} are missing.`);
    const dataDir = await this.dataDirOf(id);
    await copyFolder(folder, dataDir);
    await this.installCertificate(dataDir, options.certificate);
    const cluster = this.register(id, dataDir, options.port ?? (await freePort()), options.snapshotPassword);
    await cluster.start();
    await setSuperuserPassword(cluster, options.snapshotPassword, options.password);
    return cluster;
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    await rm(join(await this.root(), "snapshots", snapshotId), { recursive: true, force: true });
  }

  /** Replaces the TLS certificate of a server; a running one reloads it. */
  async renewCertificate(id: string, certificate: ServerCertificate): Promise<void> {
    const cluster = this.require(id);
    await this.installCertificate(cluster.dataDir, certificate);
    if (cluster.running) await cluster.withClient("postgres", (client) => client.query("SELECT pg_reload_conf()"));
  }

  /**
   * Gives a server another identity (a promoted Read Replica becomes an instance): stopped,
   * its folder renamed, started again.
   */
  async rename(id: string, newId: string): Promise<PostgresCluster> {
    const cluster = this.require(id);
    await cluster.stop();
    const dataDir = await this.dataDirOf(newId);
    await rm(dataDir, { recursive: true, force: true });
    await rename(cluster.dataDir, dataDir);
    this.clusters.delete(id);
    const renamed = this.register(newId, dataDir, cluster.port, cluster.password);
    await renamed.start();
    return renamed;
  }

  /** Stops a server and deletes its data folder. */
  async remove(id: string): Promise<void> {
    const cluster = this.clusters.get(id);
    this.clusters.delete(id);
    await cluster?.stop().catch(() => undefined);
    await rm(cluster?.dataDir ?? (await this.dataDirOf(id)), { recursive: true, force: true });
  }

  /** Stops every server; a temporary root goes with them. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.clusters.values()].map((cluster) => cluster.stop().catch(() => undefined)));
    this.clusters.clear();
    if (!this.options.root && this.rootFolder) await rm(await this.rootFolder, { recursive: true, force: true });
  }

  private register(id: string, dataDir: string, port: number, password: string): PostgresCluster {
    const cluster = new PostgresCluster({
      id,
      dataDir,
      port,
      superuser: SUPERUSER,
      password,
      owner: this.owner,
      onPortChange: (moved) => this.options.onPortChange?.(id, moved),
    });
    this.clusters.set(id, cluster);
    return cluster;
  }

  private require(id: string): PostgresCluster {
    const cluster = this.clusters.get(id);
    if (!cluster) throw new Error(`No PostgreSQL server for ${id}.`);
    return cluster;
  }

  private async dataDirOf(id: string): Promise<string> {
    return join(await this.root(), id);
  }

  private root(): Promise<string> {
    this.rootFolder ??= (async () => {
      const folder = this.options.root
        ? resolve(this.options.root)
        : await mkdtemp(join(tmpdir(), "scaleway-local-pg-"));
      await mkdir(folder, { recursive: true });
      // The local Scaleway's data folder is ours: the server's OS account may cross it.
      await ensureReachable(folder, this.options.root ? resolve(folder, "..") : folder, this.owner);
      return folder;
    })();
    return this.rootFolder;
  }

  private async installCertificate(dataDir: string, certificate: ServerCertificate) {
    await writeFile(join(dataDir, "server.crt"), certificate.certPem, { mode: 0o600 });
    await writeFile(join(dataDir, "server.key"), certificate.keyPem, { mode: 0o600 });
    if (this.owner) {
      await chown(join(dataDir, "server.crt"), this.owner.uid, this.owner.gid);
      await chown(join(dataDir, "server.key"), this.owner.uid, this.owner.gid);
    }
  }
}

/** A new random superuser password. */
export function newPassword(): string {
  return randomBytes(24).toString("base64url");
}

async function folderSize(folder: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(folder, { recursive: true })) {
    const info = await lstat(join(folder, entry)).catch(() => undefined);
    if (info?.isFile()) total += info.size;
  }
  return total;
}
