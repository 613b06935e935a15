import { randomBytes } from "node:crypto";
import { lstat, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binaries } from "./binaries";
import { PostgresCluster } from "./cluster";
import { chownTree, ensureReachable, exists, serverOsUser } from "./osUser";
import { freePort } from "./ports";
import { runInitdb } from "./process";
import { createDefaultDatabase } from "./sql";

/** The superuser of every local server; the service's is named the same (it owns the databases). */
export const SUPERUSER = "_rdb_superadmin";

/** Bumped when what the template holds changes. */
const TEMPLATE_FORMAT = 1;

export interface ClusterTemplate {
  readonly dataDir: string;
  readonly password: string;
}

let template: Promise<ClusterTemplate> | undefined;

/**
 * A freshly initialised data folder holding the `rdb` database. New servers are copies of
 * it: initdb and a first start take one to three seconds on a small machine, a copy a few
 * tens of milliseconds, and the replay of the recordings makes dozens of instances. It is
 * made once per machine and version of the binaries, in the temporary folder, and shared
 * by the processes that come later (made aside, then renamed into place in one step).
 */
export function clusterTemplate(): Promise<ClusterTemplate> {
  template ??= findOrMake().catch((error: unknown) => {
    template = undefined;
    throw error;
  });
  return template;
}

async function findOrMake(): Promise<ClusterTemplate> {
  const owner = serverOsUser();
  const { postgres } = await binaries();
  const binary = await stat(postgres);
  const uid = owner?.uid ?? process.getuid?.() ?? 0;
  const home = join(
    tmpdir(),
    `scaleway-local-pg-template-${TEMPLATE_FORMAT}-${uid}-${binary.size}-${Math.round(binary.mtimeMs)}`,
  );
  const existing = await readTemplate(home, uid);
  if (existing) return existing;

  const staging = await mkdtemp(`${home}.staging-`);
  try {
    await chownTree(staging, owner);
    await ensureReachable(staging, staging, owner);
    const made = await initialise(staging);
    await rename(staging, home).catch(async (error: NodeJS.ErrnoException) => {
      // Another process got there first: theirs is as good as ours.
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
    return (await readTemplate(home, uid)) ?? made;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** A template made earlier, if it is complete and ours (a folder someone else made in /tmp is not trusted). */
async function readTemplate(home: string, uid: number): Promise<ClusterTemplate | undefined> {
  try {
    const info = await lstat(home);
    if (!info.isDirectory() || info.uid !== uid || !(await exists(join(home, "data", "PG_VERSION")))) return undefined;
    const password = (await readFile(join(home, "password"), "utf8")).trim();
    return password ? { dataDir: join(home, "data"), password } : undefined;
  } catch {
    return undefined;
  }
}

async function initialise(folder: string): Promise<ClusterTemplate> {
  const owner = serverOsUser();
  const dataDir = join(folder, "data");
  const password = randomBytes(24).toString("base64url");
  const passwordFile = join(folder, "password");
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  await chownTree(passwordFile, owner);
  await runInitdb(
    [
      `--pgdata=${dataDir}`,
      "--auth=scram-sha-256",
      `--username=${SUPERUSER}`,
      `--pwfile=${passwordFile}`,
      "--encoding=UTF8",
      "--no-locale",
      // Durability of initdb's own writes does not matter: a copy of a stopped server is made next.
      "--no-sync",
      "--no-instructions",
      // 1 MB WAL segments instead of 16: every new server and every copy carries less.
      "--wal-segsize=1",
    ],
    owner,
  );
  // The default database is made here once, not in each new server (0.1 to 0.7 s each).
  const cluster = new PostgresCluster({
    id: "template",
    dataDir,
    port: await freePort(),
    superuser: SUPERUSER,
    password,
    owner,
  });
  try {
    await createDefaultDatabase(cluster);
  } finally {
    await cluster.stop();
  }
  return { dataDir, password };
}
