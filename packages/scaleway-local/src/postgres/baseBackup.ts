import { chown, copyFile, mkdir, writeFile, appendFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { PostgresCluster } from "./cluster";
import { copyFiles, copyFolder, prune } from "./files";
import type { OsUser } from "./osUser";

/** Where a standby streams from. */
export interface Upstream {
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** Runtime folders a copy starts without, as pg_basebackup leaves them out. */
const EMPTIED = [
  "pg_wal",
  "pg_replslot",
  "pg_stat_tmp",
  "pg_dynshmem",
  "pg_notify",
  "pg_serial",
  "pg_snapshots",
  "pg_subtrans",
];
const REMOVED = [
  "postmaster.pid",
  "postmaster.opts",
  "standby.signal",
  "recovery.signal",
  "backup_label",
  "backup_label.old",
];

/**
 * A consistent copy of a running server's data folder, made as pg_basebackup makes one
 * (the package ships no pg_basebackup): files copied between pg_backup_start and
 * pg_backup_stop, the control file last, the backup label written, then the WAL written
 * meanwhile. Started as is, the copy recovers to the moment of pg_backup_stop; with an
 * upstream, it becomes a hot standby that streams from it (a real Read Replica).
 */
export async function baseBackup(
  source: PostgresCluster,
  target: string,
  options: { owner?: OsUser; upstream?: Upstream } = {},
): Promise<void> {
  const { owner } = options;
  await source.withClient("postgres", async (client) => {
    await client.query("SELECT pg_backup_start($1, true)", [`scaleway-local ${basename(target)}`]);
    let stopped = false;
    try {
      await copyFolder(source.dataDir, target, true);
      await prune(target, EMPTIED, REMOVED);
      // The control file last, as pg_basebackup does.
      await copyFile(join(source.dataDir, "global/pg_control"), join(target, "global/pg_control"));
      const { rows } = await client.query<{ labelfile: string; spcmapfile: string }>(
        "SELECT labelfile, spcmapfile FROM pg_backup_stop(false)",
      );
      stopped = true;
      await writeOwned(join(target, "backup_label"), rows[0]!.labelfile, owner);
      if (rows[0]!.spcmapfile) await writeOwned(join(target, "tablespace_map"), rows[0]!.spcmapfile, owner);
    } finally {
      if (!stopped) await client.query("SELECT pg_backup_stop(false)").catch(() => undefined);
    }
  });
  await mkdir(join(target, "pg_wal", "archive_status"), { recursive: true, mode: 0o700 });
  await copyFiles(join(source.dataDir, "pg_wal"), join(target, "pg_wal"), owner);
  if (owner) {
    await chown(join(target, "global/pg_control"), owner.uid, owner.gid);
    await chown(join(target, "pg_wal", "archive_status"), owner.uid, owner.gid);
  }
  if (options.upstream) await followUpstream(target, options.upstream, owner);
}

/** Makes a copy a standby of `upstream` (standby.signal and primary_conninfo). */
export async function followUpstream(dataDir: string, upstream: Upstream, owner?: OsUser) {
  const conninfo = `host=127.0.0.1 port=${upstream.port} user=${upstream.user} password=${upstream.password} application_name=${basename(dataDir)}`;
  await writeOwned(join(dataDir, "standby.signal"), "", owner);
  await appendFile(join(dataDir, "postgresql.auto.conf"), `primary_conninfo = '${conninfo.replace(/'/g, "''")}'\n`);
}

async function writeOwned(path: string, content: string, owner: OsUser | undefined) {
  await writeFile(path, content, { mode: 0o600 });
  if (owner) await chown(path, owner.uid, owner.gid);
}
