import type { Command } from "commander";
import { BACKEND_HELP, BACKEND_OPTION } from "./backendOption";
import { defaultBackendUrl } from "../engine/defaultBackend";
import { ExitCode } from "../exitCodes";
import { registerStateInitCommand } from "./stateInit";
import { formatTable, paint, progress } from "../output";
import { isBackendUrl, parseBackendUrl, redactedUrl } from "../state/backendUrl";
import { parseCheckpoint } from "../state/checkpoint";
import { findVersion, readHistory, type StateVersion } from "../state/history";
import { leaseName, type StackAddress } from "../state/layout";
import type { StateStorage } from "../state/storage/storage";
import { UsageError } from "../usageError";

interface StateOptions {
  readonly backend?: string;
  readonly json?: boolean;
  readonly force?: boolean;
  readonly yes?: boolean;
  readonly version?: string;
  readonly to?: string;
  readonly from?: string;
  readonly limit?: string;
}

/**
 * `sovstack state ...`: the deployment lease, history, diff, verify, backup, restore and migration.
 * What a subcommand runs is imported in its action, after its arguments are checked: the lease stores
 * and storages load the S3 and PostgreSQL clients, and help and usage errors should stay fast.
 */
export function registerStateCommands(program: Command): Command {
  const state = program
    .command("state")
    .description("the state of each environment: init, lease, history, diff, verify, backup, restore, migrate");
  registerStateInitCommand(state);

  state
    .command("lock")
    .description("say who holds the deployment lease of an environment, if anyone")
    .argument("<env>", "environment")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--json", "print as JSON")
    .action(async (environment: string, options: StateOptions) => {
      const { url, address } = await target(environment, options);
      const { leaseStoreFor } = await import("../state/lease/forBackend");
      const { isExpired } = await import("../state/lease/lease");
      const { describePulumiLock, lockProcessAlive, readPulumiLocks } = await import("../state/lease/pulumiLocks");
      const record = await leaseStoreFor(url).inspect(leaseName(address));
      const pulumiLocks = (await withStorage(url, (storage) => readPulumiLocks(storage, address))).map((lock) => ({
        ...lock,
        processAlive: lockProcessAlive(lock),
      }));
      if (options.json) {
        // pulumiLocks stays a count, as before; each file's holder is in pulumiLockFiles.
        console.log(
          JSON.stringify(
            { environment, lease: record ?? null, pulumiLocks: pulumiLocks.length, pulumiLockFiles: pulumiLocks },
            null,
            2,
          ),
        );
        return;
      }
      if (!record) console.log(`${environment}: not locked`);
      else {
        const expired = isExpired(record);
        console.log(
          `${environment}: ${expired ? "lease expired (its holder stopped renewing it), held" : "locked"} by ${record.who} ` +
            `(${record.operation}${record.commit ? ` of ${record.commit.slice(0, 12)}` : ""}, pid ${record.pid} on ${record.host}) ` +
            `since ${record.acquiredAt}, ${expired ? "expired at" : "expires"} ${record.expiresAt}`,
        );
      }
      if (pulumiLocks.length) {
        console.log(`Pulumi lock files: ${pulumiLocks.length} (a deployment is running, or one was killed):`);
        for (const lock of pulumiLocks)
          console.log(
            `  ${describePulumiLock(lock)}` +
              (lock.processAlive === undefined
                ? ""
                : lock.processAlive
                  ? "; that process is running on this host"
                  : "; no such process on this host: it is dead"),
          );
      }
    });

  state
    .command("unlock")
    .description("break the deployment lease of an environment (and Pulumi's lock files)")
    .argument("<env>", "environment")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--force", "break it: required, after reading what it risks")
    .action(async (environment: string, options: StateOptions) => {
      const { url, address } = await target(environment, options);
      if (!options.force) {
        throw new UsageError(
          `unlocking lets another deployment of ${environment} start. If the holder is still running, both write the ` +
            `state and it can lose track of resources. Check first with \`sovstack state lock ${environment}\` that the ` +
            `holder is dead (its process, its CI job). Fix: add --force to break the lease.`,
        );
      }
      const { leaseStoreFor } = await import("../state/lease/forBackend");
      const { describePulumiLock, readPulumiLocks } = await import("../state/lease/pulumiLocks");
      const broken = await leaseStoreFor(url).forceRelease(leaseName(address));
      const removed = await withStorage(url, async (storage) => {
        const locks = await readPulumiLocks(storage, address);
        for (const lock of locks) await storage.delete(lock.key);
        return locks;
      });
      console.log(
        broken
          ? `broke the lease of ${broken.who} (${broken.operation}, pid ${broken.pid} on ${broken.host}, since ${broken.acquiredAt})`
          : `${environment} had no lease`,
      );
      if (removed.length) {
        console.log(`removed ${removed.length} Pulumi lock file(s):`);
        for (const lock of removed) console.log(`  ${describePulumiLock(lock)}`);
      }
      if (!broken && !removed.length) {
        console.log(`${environment} had no Pulumi lock file either: nothing was locked.`);
        return;
      }
      const next = `Next: \`sovstack state verify ${environment}\`, then \`sovstack up ${environment}\` to finish what it left.`;
      console.log(
        broken
          ? `If that deployment was still running, it stops at its next lease renewal. ${next}`
          : "A run that held only Pulumi's lock (a plain `pulumi up`, which takes no lease) is not stopped by this: " +
              `if it is still running, it keeps writing the state until it ends. ${next}`,
      );
    });

  state
    .command("history")
    .description("every saved version of an environment's state: time, who, commit, resources, changes")
    .argument("<env>", "environment")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--limit <n>", "only the latest n versions")
    .option("--json", "print as JSON")
    .action(async (environment: string, options: StateOptions) => {
      const { url, address } = await target(environment, options);
      const versions = await withStorage(url, (storage) => readHistory(storage, address));
      const shown = options.limit ? versions.slice(-positiveInteger(options.limit, "--limit")) : versions;
      if (options.json) {
        console.log(JSON.stringify(shown, null, 2));
        return;
      }
      if (!versions.length) {
        console.log(`${environment} has no saved version on ${redactedUrl(url)}`);
        return;
      }
      console.log(
        formatTable([
          ["VERSION", "TIME", "KIND", "RESULT", "WHO", "COMMIT", "RESOURCES", "CHANGES"],
          ...shown.map((v) => [
            String(v.version),
            v.startTime.replace("T", " ").replace(/\.\d+Z$/, "Z"),
            v.kind,
            v.result,
            v.who ?? "?",
            v.commit ? `${v.commit.slice(0, 12)}${v.dirty ? "+" : ""}` : "-",
            v.resourceCount === undefined ? "?" : String(v.resourceCount),
            describeChanges(v),
          ]),
        ]),
      );
    });

  state
    .command("diff")
    .description("what differs between two versions of an environment's state")
    .argument("<env>", "environment")
    .argument("<a>", "version number, -n (n back from the latest) or deployed commit")
    .argument("<b>", "version number, -n or commit")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--json", "print as JSON")
    .action(async (environment: string, a: string, b: string, options: StateOptions) => {
      const { url, address } = await target(environment, options);
      const { diffCheckpoints, shortUrn } = await import("../state/diff");
      const { crypterOf } = await import("../state/stackPassphrase");
      const diff = await withStorage(url, async (storage) => {
        const versions = await readHistory(storage, address, { countResources: false });
        const [before, after] = await Promise.all(
          [a, b].map((reference) => checkpointOf(storage, versions, reference, environment)),
        );
        // Secrets are compared by value (never shown) when the stack's passphrase is at hand.
        const [beforeCrypter, afterCrypter] = await Promise.all([crypterOf(before!), crypterOf(after!)]);
        return diffCheckpoints(before!, after!, { before: beforeCrypter, after: afterCrypter });
      });
      if (options.json) {
        console.log(JSON.stringify(diff, null, 2));
        return;
      }
      for (const urn of diff.added) console.log(`${paint("+", "green")} ${shortUrn(urn)}`);
      for (const urn of diff.removed) console.log(`${paint("-", "red")} ${shortUrn(urn)}`);
      for (const { urn, changes, secretsNotCompared } of diff.changed) {
        console.log(`${paint("~", "yellow")} ${shortUrn(urn)}`);
        for (const change of changes)
          console.log(`    ${change.property}: ${change.before ?? "(none)"} → ${change.after ?? "(none)"}`);
        if (secretsNotCompared)
          console.log(`    ${secretsNotCompared.join(", ")}: [secret] (re-encrypted; value not compared)`);
      }
      if (!diff.added.length && !diff.removed.length && !diff.changed.length) console.log("no difference");
      if (diff.changed.some((change) => change.secretsNotCompared))
        progress(
          "secrets are encrypted again on every update, so their ciphertext differs even when their value does not. " +
            "To compare the values (never printed), export PULUMI_CONFIG_PASSPHRASE, the stack's passphrase.",
        );
    });

  state
    .command("verify")
    .description(
      "check that an environment's state parses, is well formed, consistent, and keeps no secret in plain text",
    )
    .argument("<env>", "environment")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--version <v>", "a saved version instead of the current state")
    .option("--json", "print as JSON")
    .action(async (environment: string, options: StateOptions) => {
      const { url, address } = await target(environment, options);
      const { verifyCheckpoint } = await import("../state/verify");
      // The object verified: the current state as the engine reads it (`.json` or `.json.gz`), or a version's copy.
      const { key, report } = await withStorage(url, async (storage) => {
        if (!options.version) {
          const { readCurrentCheckpoint } = await import("../state/currentCheckpoint");
          const current = await readCurrentCheckpoint(storage, address);
          return { key: current?.key, report: verifyCheckpoint(current?.bytes, environment) };
        }
        const versions = await readHistory(storage, address, { countResources: false });
        const version = versionOrThrow(versions, options.version, environment);
        const bytes = await storage.get(version.checkpointKey);
        return { key: version.checkpointKey, report: verifyCheckpoint(bytes, environment) };
      });
      const { checkpoint: _checkpoint, ...summary } = report;
      if (options.json) console.log(JSON.stringify({ environment, key, ...summary }, null, 2));
      else {
        for (const problem of report.problems)
          console.log(
            `${paint(problem.severity === "error" ? "✗" : "!", problem.severity === "error" ? "red" : "yellow")} ${problem.message}`,
          );
        console.log(
          report.ok
            ? `${paint("✓", "green")} the ${options.version ? `version ${options.version}` : "current state"} of ${environment} verifies (${report.resourceCount} resources)`
            : `the state of ${environment} does not verify. Fix: \`sovstack state restore ${environment} <version>\` with a version that verifies (see \`sovstack state history ${environment}\`).`,
        );
      }
      if (!report.ok) process.exitCode = ExitCode.failure;
    });

  state
    .command("backup")
    .description("copy an environment's state and history to the replica bucket, another backend or a file")
    .argument("<env>", "environment")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--to <file|url>", "a .json file, or a backend URL (default: SOVSTACK_REPLICA_URL, the replica bucket)")
    .action(async (environment: string, options: StateOptions) => {
      const { url, address } = await target(environment, options);
      const to = options.to ?? process.env.SOVSTACK_REPLICA_URL;
      if (!to)
        throw new UsageError(
          "no backup destination. Fix: --to <file.json> or --to <backend URL>, or set SOVSTACK_REPLICA_URL to the replica bucket `sovstack state init` created.",
        );
      const { copyStack } = await import("../state/copy");
      const { MemoryStorage } = await import("../state/storage/memoryStorage");
      const { writeBundle } = await import("../state/bundle");
      const started = Date.now();
      const result = await withStorage(url, async (source) => {
        if (isBackendUrl(to))
          return withStorage(to, (destination) => copyStack(source, destination, address, { recordBackup: true }));
        const memory = new MemoryStorage();
        const copied = await copyStack(source, memory, address);
        return { ...copied, bytes: await writeBundle(memory, address, to) };
      });
      console.log(
        `backed up ${environment} to ${redactedUrl(to)}: ${result.copied} object(s) copied, ${result.skipped} already there, ` +
          `${result.bytes} bytes, in ${Date.now() - started} ms`,
      );
    });

  state
    .command("restore")
    .description("put a past version (or a backup) of an environment's state back, after verifying it")
    .argument("<env>", "environment")
    .argument("[version]", "version number, -n (n back from the latest) or deployed commit")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--from <file|url>", "restore the latest state of a backup file or backend instead")
    .option("--yes", "do it: required, since it replaces the current state")
    .action(async (environment: string, version: string | undefined, options: StateOptions) => {
      const { url, address } = await target(environment, options);
      if (!version && !options.from)
        throw new UsageError(
          `which version? Fix: \`sovstack state restore ${environment} <version>\` or --from <backup>.`,
        );
      if (!options.yes)
        throw new UsageError(
          `restore replaces the current state of ${environment} (kept aside first). The infrastructure itself does not ` +
            `change: the next \`sovstack up\` plans from the restored state. Fix: add --yes.`,
        );
      const { withStackLease } = await import("../engine/leasedRun");
      const { currentActor } = await import("../state/lease/holder");
      const { restoreFromBackup, restoreVersion } = await import("../state/restore");
      await withStackLease({ backendUrl: url, address, operation: "restore", log: progress }, async () =>
        withStorage(url, async (storage) => {
          if (options.from) {
            const result = await restoreFromBackup(storage, address, options.from, currentActor());
            console.log(
              `restored ${environment} from ${redactedUrl(options.from)} (${result.copied} object(s) written, ${result.report.resourceCount} resources)` +
                (result.previousKept ? `; the state it replaced is kept at ${result.previousKept}` : ""),
            );
            if (result.leftOut)
              console.log(
                `${result.leftOut} version(s) of the backup older than the latest version here were not added to the ` +
                  `history (they would have renumbered its versions); they stay in ${redactedUrl(options.from)}.`,
              );
            return;
          }
          const result = await restoreVersion(storage, address, version!, currentActor());
          console.log(
            `restored version ${result.restored.version} of ${environment} (${result.report.resourceCount} resources)` +
              (result.previousKept ? `; the state it replaced is kept at ${result.previousKept}` : ""),
          );
        }),
      );
      console.log(`Next: \`sovstack preview ${environment}\` shows what \`up\` would now change.`);
    });

  state
    .command("migrate")
    .description("move an environment's state and history to another backend")
    .argument("<env>", "environment")
    .requiredOption("--to <url>", "destination backend URL (s3://, postgres:// or file://)")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .action(async (environment: string, options: StateOptions) => {
      const { url, address } = await target(environment, options);
      const to = options.to!;
      parseBackendUrl(to);
      if (!isBackendUrl(to)) throw new UsageError(`--to ${JSON.stringify(to)} is not a backend URL.`);
      const { withStackLease } = await import("../engine/leasedRun");
      const { copyStack } = await import("../state/copy");
      const { locateCurrentCheckpoint, readCurrentCheckpoint } = await import("../state/currentCheckpoint");
      const { verifyCheckpoint } = await import("../state/verify");
      const { passphraseNoticeAfterMove } = await import("../state/stackPassphrase");
      let passphraseNotice = "";
      await withStackLease({ backendUrl: url, address, operation: "migrate", log: progress }, () =>
        withStackLease({ backendUrl: to, address, operation: "migrate", log: progress }, () =>
          withStorage(url, (source) =>
            withStorage(to, async (destination) => {
              if (await locateCurrentCheckpoint(destination, address))
                throw new UsageError(
                  `${redactedUrl(to)} already has a ${environment} stack. Fix: migrate to an empty backend, or restore into it with \`sovstack state restore ${environment} --from ${redactedUrl(url)} --backend <to>\`.`,
                );
              const result = await copyStack(source, destination, address);
              const report = verifyCheckpoint((await readCurrentCheckpoint(destination, address))?.bytes, environment);
              if (!report.ok) throw new Error(`the migrated state does not verify at ${redactedUrl(to)}.`);
              console.log(`migrated ${environment} (${result.copied} object(s), ${report.resourceCount} resources)`);
              passphraseNotice = await passphraseNoticeAfterMove(environment, report.checkpoint!, to);
            }),
          ),
        ),
      );
      console.log(
        `Next: use the new backend: export SOVSTACK_BACKEND_URL=${redactedUrl(to) === to ? `'${to}'` : "<the --to URL>"}. ` +
          `${passphraseNotice ? `${passphraseNotice} ` : ""}The old copy stays until you delete it.`,
      );
    });

  return state;
}

async function target(environment: string, options: StateOptions): Promise<{ url: string; address: StackAddress }> {
  const url = options.backend ?? defaultBackendUrl();
  parseBackendUrl(url);
  // The project name comes from Pulumi.yaml: the YAML parser is loaded only when a command runs.
  const { stackAddress } = await import("../engine/project");
  return { url, address: stackAddress(environment) };
}

async function withStorage<T>(url: string, work: (storage: StateStorage) => Promise<T>): Promise<T> {
  const { openStorage } = await import("../state/storage/open");
  const storage = openStorage(url);
  try {
    return await work(storage);
  } finally {
    await storage.close();
  }
}

function versionOrThrow(versions: readonly StateVersion[], reference: string, environment: string): StateVersion {
  if (!versions.length)
    throw new UsageError(
      `${environment} has no saved version on this backend. Fix: check --backend / SOVSTACK_BACKEND_URL.`,
    );
  const version = findVersion(versions, reference);
  if (!version)
    throw new UsageError(
      `${environment} has no version ${JSON.stringify(reference)}. Allowed: 1–${versions.length}, -n (n back from the latest) or a deployed commit. Fix: see \`sovstack state history ${environment}\`.`,
    );
  return version;
}

async function checkpointOf(
  storage: StateStorage,
  versions: readonly StateVersion[],
  reference: string,
  environment: string,
) {
  const version = versionOrThrow(versions, reference, environment);
  const bytes = await storage.get(version.checkpointKey);
  if (!bytes) throw new Error(`version ${version.version} of ${environment} has no checkpoint copy.`);
  return parseCheckpoint(bytes);
}

function describeChanges(version: StateVersion): string {
  const parts = Object.entries(version.changes)
    .filter(([operation]) => operation !== "same")
    .map(([operation, count]) => `${count} ${operation}`);
  return parts.join(", ") || "no change";
}

function positiveInteger(value: string, option: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new UsageError(`${option} ${value}: a whole number from 1 is needed.`);
  return number;
}
