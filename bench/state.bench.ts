import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { startLocalScaleway } from "@sovstack/scaleway-local";
import { withStackLease } from "../packages/cli/src/engine/leasedRun";
import { writeBundle } from "../packages/cli/src/state/bundle";
import { copyStack } from "../packages/cli/src/state/copy";
import { readHistory } from "../packages/cli/src/state/history";
import { leaseName, type StackAddress } from "../packages/cli/src/state/layout";
import { leaseStoreFor } from "../packages/cli/src/state/lease/forBackend";
import { restoreFromBackup, restoreVersion } from "../packages/cli/src/state/restore";
import { MemoryStorage } from "../packages/cli/src/state/storage/memoryStorage";
import { openStorage } from "../packages/cli/src/state/storage/open";
import type { StateStorage } from "../packages/cli/src/state/storage/storage";
import { inlineStack, LOCAL_S3_ENV, localBucket } from "../packages/cli/src/testing/inlineStack";
import { startTestPostgres } from "../packages/cli/src/testing/postgres";
import { median, time, type Figure } from "./measure";

const LEASE_ROUNDS = 50;
const VERSIONS = 100;
const env = { ...process.env, ...LOCAL_S3_ENV };
const address: StackAddress = { project: "state-bench", stack: "bench" };
const holder = { who: "bench", operation: "up", pid: process.pid, host: hostname() };

/**
 * The state backends as a deployment meets them: how long taking and releasing the
 * deployment lease takes on each backend, then, on the local Scaleway's Object Storage
 * with a stack of 100 real versions, reading the history, backing up and restoring.
 */
export async function stateFigures(): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "sovstack-bench-state-"));
  const [local, postgres] = await Promise.all([startLocalScaleway({ dataDir }), startTestPostgres()]);
  try {
    const newBucket = bucketMaker(local.s3Url);
    const s3Url = await newBucket();
    const figures: Figure[] = [
      await leaseLatency("Object Storage (local S3)", s3Url),
      await leaseLatency("PostgreSQL", `${postgres.url}?sslmode=disable`),
      await leaseLatency("files", `file://${join(dataDir, "file-state")}`),
      await median("withStackLease around nothing, S3", 10, () =>
        withStackLease({ backendUrl: s3Url, address, operation: "up", env }, async () => undefined),
      ),
    ];

    const built = await time(() => buildVersions(s3Url));
    figures.push({
      name: `${VERSIONS} ups of an inline program (bench set-up)`,
      value: built.ms,
      unit: "ms",
      note: `${(built.ms / VERSIONS / 1000).toFixed(1)} s an up, engine included`,
    });

    const storage = openStorage(s3Url, env);
    try {
      figures.push(
        await median(`history of ${VERSIONS} versions, resources counted`, 5, () => readHistory(storage, address)),
        await median(`history of ${VERSIONS} versions, without counting`, 5, () =>
          readHistory(storage, address, { countResources: false }),
        ),
        ...(await backupFigures(storage, newBucket, dataDir)),
        ...(await restoreFigures(storage, s3Url, newBucket, dataDir)),
      );
    } finally {
      await storage.close();
    }
    return figures;
  } finally {
    await local.stop();
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Acquire + release of the lease, LEASE_ROUNDS times: median and 95th percentile. */
async function leaseLatency(name: string, url: string): Promise<Figure> {
  const leases = leaseStoreFor(url, { env });
  const samples: number[] = [];
  for (let round = 0; round < LEASE_ROUNDS; round++) {
    const { ms } = await time(async () => (await leases.acquire(leaseName(address), holder)).release());
    samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return {
    name: `lease acquire + release, ${name}`,
    value: percentile(samples, 0.5),
    unit: "ms",
    note: `median of ${LEASE_ROUNDS}, p95 ${percentile(samples, 0.95).toFixed(1)} ms, max ${samples.at(-1)!.toFixed(1)} ms`,
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/** VERSIONS deployments of an inline program of components, one more or fewer each time. */
async function buildVersions(backendUrl: string): Promise<void> {
  const programWith = (parts: number) => async () => {
    for (let part = 0; part < parts; part++) new pulumi.ComponentResource("sovstack:bench:Part", `part-${part}`);
  };
  const stack = await inlineStack({
    backendUrl,
    projectName: address.project,
    stackName: address.stack,
    program: programWith(1),
  });
  for (let i = 1; i <= VERSIONS; i++) {
    stack.workspace.program = programWith((i % 7) + 1);
    await stack.up({ message: "sovstack up by bench" });
  }
}

/** Backups of the stack (history included): to a file, to an empty bucket, and again to that bucket. */
async function backupFigures(
  storage: StateStorage,
  newBucket: () => Promise<string>,
  dataDir: string,
): Promise<Figure[]> {
  const file = join(dataDir, "backup.json");
  const toFile = await median("backup to a file", 5, async () =>
    writeBundle(await copied(storage, new MemoryStorage()), address, file),
  );
  const full: number[] = [];
  let objects = 0;
  let destinationUrl = "";
  for (let round = 0; round < 3; round++) {
    destinationUrl = await newBucket();
    const destination = openStorage(destinationUrl, env);
    const { ms, result } = await time(() => copyStack(storage, destination, address));
    full.push(ms);
    objects = result.copied;
    await destination.close();
  }
  full.sort((a, b) => a - b);
  const destination = openStorage(destinationUrl, env);
  try {
    const again = await median("backup to a bucket again (only what is new)", 5, () =>
      copyStack(storage, destination, address),
    );
    return [
      toFile,
      {
        name: "backup to an empty bucket",
        value: full[1]!,
        unit: "ms",
        note: `median of 3, ${objects} objects, min ${full[0]!.toFixed(0)}, max ${full[2]!.toFixed(0)}`,
      },
      again,
    ];
  } finally {
    await destination.close();
  }
}

async function copied(source: StateStorage, memory: MemoryStorage): Promise<MemoryStorage> {
  await copyStack(source, memory, address);
  return memory;
}

/**
 * Restores as `sovstack state restore` runs them, inside the lease: a version, a backup
 * file onto the backend it came from (its history is there), and onto an empty bucket.
 */
async function restoreFigures(
  storage: StateStorage,
  backendUrl: string,
  newBucket: () => Promise<string>,
  dataDir: string,
): Promise<Figure[]> {
  const file = join(dataDir, "backup.json");
  // As `sovstack state restore --from <file>` runs it.
  const restoreFile = async (url: string, into: StateStorage) =>
    withStackLease({ backendUrl: url, address, operation: "restore", env }, () =>
      restoreFromBackup(into, address, file, "bench"),
    );
  const figures = [
    await median("restore a version (version 50)", 5, () =>
      withStackLease({ backendUrl, address, operation: "restore", env }, () =>
        restoreVersion(storage, address, "50", "bench"),
      ),
    ),
    await median("restore a backup file, history there", 5, () => restoreFile(backendUrl, storage)),
  ];
  const samples: number[] = [];
  for (let round = 0; round < 3; round++) {
    const url = await newBucket();
    const empty = openStorage(url, env);
    samples.push((await time(() => restoreFile(url, empty))).ms);
    await empty.close();
  }
  samples.sort((a, b) => a - b);
  figures.push({
    name: "restore a backup file into an empty bucket",
    value: samples[1]!,
    unit: "ms",
    note: `median of 3, min ${samples[0]!.toFixed(0)}, max ${samples[2]!.toFixed(0)}`,
  });
  return figures;
}

/** Fresh versioned buckets of the local Scaleway, as s3:// backend URLs. */
function bucketMaker(s3Url: string): () => Promise<string> {
  return async () => (await localBucket(s3Url, { versioned: true })).url;
}
