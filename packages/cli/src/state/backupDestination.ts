import { createHash } from "node:crypto";
import { UsageError } from "../usageError";
import { redactedUrl } from "./backendUrl";
import { parseCheckpoint, resourcesOf } from "./checkpoint";
import { compressionOfKey, decompress } from "./compression";
import { readCurrentCheckpoint } from "./currentCheckpoint";
import { compareVersionKeys, readHistory, type StateVersion } from "./history";
import { historyPrefix, type StackAddress } from "./layout";
import type { StateStorage } from "./storage/storage";
import { storedVersions } from "./storedVersions";

/** A backup that would replace a newer or different state: nothing was copied (exit 64). */
export class BackupRefusedError extends UsageError {
  override name = "BackupRefusedError";
}

/** What the destination of a backup notes about the state it received. */
interface BackupRecord {
  /** SHA-256 of the state's JSON (decompressed). */
  readonly sha256: string;
  readonly from: string;
  readonly at: string;
}

/** Where a backend that received a backup of the stack keeps its BackupRecord. */
export function backupRecordKey({ project, stack }: StackAddress): string {
  return `.sovstack/backups/${project}/${stack}.json`;
}

/**
 * A backup may only bring the destination forward along the source's own history: the
 * destination's versions must be the source's first ones (none it lacks, none of its
 * own), and its current state one the source had, a version's or the one the last
 * backup wrote there. Anything else means the destination holds a newer or a different
 * state (another deployment, an older replica pointed the wrong way), which copying
 * would replace and whose versions it would renumber: BackupRefusedError, naming both
 * sides' latest versions. An empty destination, or one with an empty stack and no
 * history (a stack a preview created), takes any backup.
 */
export async function checkBackupDestination(
  source: StateStorage,
  destination: StateStorage,
  address: StackAddress,
  sourceState: Buffer,
): Promise<void> {
  const prefix = historyPrefix(address);
  const [from, to] = await Promise.all([source.list(prefix), destination.list(prefix)]);
  const mine = storedVersions(from).versions;
  const theirs = storedVersions(to).versions;
  const sourceStems = new Set(mine.map((version) => version.stem));
  const destinationStems = new Set(theirs.map((version) => version.stem));
  const src = redactedUrl(source.location.url);
  const dst = redactedUrl(destination.location.url);

  const onlyThere = theirs.filter((version) => !sourceStems.has(version.stem)).length;
  if (onlyThere)
    throw await refusal(source, destination, address, `${dst} has ${onlyThere} version(s) that ${src} does not have`);
  const latest = theirs.at(-1);
  const gaps = latest
    ? mine.filter(
        (version) =>
          !destinationStems.has(version.stem) && compareVersionKeys(version.historyKey, latest.historyKey) < 0,
      ).length
    : 0;
  if (gaps)
    throw await refusal(
      source,
      destination,
      address,
      `${dst} lacks ${gaps} version(s) of ${src} older than its own latest, which copying would insert before it (renumbering its versions)`,
    );

  const current = await readCurrentCheckpoint(destination, address);
  if (!current) return;
  const digest = digestOf(current.bytes);
  if (digest === digestOf(sourceState)) return;
  if ((await readBackupRecord(destination, address))?.sha256 === digest) return;
  if (!theirs.length && isEmptyStack(current.bytes)) return;
  for (const version of [...mine].reverse()) {
    const copy = version.checkpoint;
    // Same form and another size: another state, no need to read it.
    if (!copy || (compressionOfKey(copy.key) === current.compression && copy.size !== current.bytes.length)) continue;
    const bytes = await source.get(copy.key);
    if (bytes && digestOf(bytes) === digest) return;
  }
  throw await refusal(
    source,
    destination,
    address,
    `the current state at ${dst} is none of the versions of ${src}: it was written there after the last backup ` +
      "(a deployment, a restore or a pulumi command against that backend)",
  );
}

/** Notes, at the destination, the state a backup just wrote there (see checkBackupDestination). */
export async function recordBackup(
  source: StateStorage,
  destination: StateStorage,
  address: StackAddress,
  state: Buffer,
): Promise<void> {
  const record: BackupRecord = {
    sha256: digestOf(state),
    from: redactedUrl(source.location.url),
    at: new Date().toISOString(),
  };
  await destination.put(backupRecordKey(address), Buffer.from(`${JSON.stringify(record, null, 2)}\n`));
}

async function readBackupRecord(storage: StateStorage, address: StackAddress): Promise<BackupRecord | undefined> {
  const body = await storage.get(backupRecordKey(address));
  try {
    return body && (JSON.parse(body.toString("utf8")) as BackupRecord);
  } catch {
    return undefined; // a damaged record vouches for nothing
  }
}

/** The state's identity whatever its compression: the digest of its JSON. */
function digestOf(bytes: Buffer): string {
  let json: Buffer;
  try {
    json = decompress(bytes);
  } catch {
    json = bytes; // unreadable (damaged gzip, zstd): compared as stored
  }
  return createHash("sha256").update(json).digest("hex");
}

/** A stack without a single resource: nothing to lose by replacing it. */
function isEmptyStack(bytes: Buffer): boolean {
  try {
    return resourcesOf(parseCheckpoint(bytes)).length === 0;
  } catch {
    return false;
  }
}

async function refusal(
  source: StateStorage,
  destination: StateStorage,
  address: StackAddress,
  why: string,
): Promise<BackupRefusedError> {
  const [mine, theirs] = await Promise.all([
    readHistory(source, address, { countResources: false }),
    readHistory(destination, address, { countResources: false }),
  ]);
  const { stack } = address;
  // Commands to copy: a password shows as a placeholder to fill in, not as *** (which would run as a password).
  const src = redactedUrl(source.location.url).replace(":***@", ":<password>@");
  const dst = redactedUrl(destination.location.url).replace(":***@", ":<password>@");
  return new BackupRefusedError(
    `refused to back up ${stack} to ${dst}: ${why}. The backup would replace the destination's state with an older ` +
      `or unrelated one; nothing was copied.\n` +
      `  latest version at the destination: ${describe(theirs.at(-1))}\n` +
      `  latest version at the source:      ${describe(mine.at(-1))}\n` +
      `Fix: compare \`sovstack state history ${stack} --backend '${src}'\` with ` +
      `\`sovstack state history ${stack} --backend '${dst}'\`. To keep the destination's state, leave it (or back it up ` +
      `the other way: \`sovstack state backup ${stack} --backend '${dst}' --to '${src}'\`); to replace it with the ` +
      `source's, \`sovstack state restore ${stack} --from '${src}' --backend '${dst}' --yes\`, which takes the lease and ` +
      "keeps a copy of the state it replaces.",
  );
}

function describe(version: StateVersion | undefined): string {
  if (!version) return "none";
  const time = version.startTime.replace("T", " ").replace(/\.\d+Z$/, "Z");
  return (
    `version ${version.version} (${version.kind} ${version.result}, ${time}` +
    `${version.who ? `, by ${version.who}` : ""}${version.commit ? `, commit ${version.commit.slice(0, 12)}` : ""})`
  );
}
