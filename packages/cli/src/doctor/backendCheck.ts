import { randomUUID } from "node:crypto";
import { accessSync, constants, existsSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { GetBucketVersioningCommand, HeadBucketCommand } from "@aws-sdk/client-s3";
import pg from "pg";
import { retryingS3Client, s3CredentialsFromEnv } from "../resilience/s3Client";
import { withRetry } from "../resilience/retry";
import { parseBackendUrl, redactedUrl, type BackendLocation } from "../state/backendUrl";
import { postgresClientConfig } from "../state/postgresTls";
import { fail, ok, oneLine, warn, type CheckResult, type DoctorContext } from "./check";

/** Can the state backend be read and written: a folder, a bucket, a database. */
export async function checkBackend(context: DoctorContext): Promise<CheckResult> {
  let location: BackendLocation;
  try {
    location = parseBackendUrl(context.backendUrl);
  } catch (error) {
    return fail("backend", oneLine(error), "pass --backend, or set SOVSTACK_BACKEND_URL, to a supported URL");
  }
  switch (location.kind) {
    case "file":
      return checkFolder(location.dir);
    case "s3":
      return checkBucket(location, context);
    case "postgres":
      return checkDatabase(location, context);
  }
}

function checkFolder(dir: string): CheckResult {
  if (!existsSync(dir)) {
    let parent = dirname(dir);
    while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
    if (writable(parent)) return ok("backend", `file://${dir} does not exist yet; the first deployment creates it`);
    return fail(
      "backend",
      `file://${dir} does not exist and ${parent} is not writable`,
      "choose a folder you can write to",
    );
  }
  const probe = join(dir, `.sovstack-doctor-${randomUUID()}`);
  try {
    writeFileSync(probe, "");
    rmSync(probe);
    return ok("backend", `file://${dir} is writable`);
  } catch (error) {
    return fail(
      "backend",
      `file://${dir} is not writable: ${oneLine(error)}`,
      "fix the folder's permissions or choose another one",
    );
  }
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function checkBucket(
  location: Extract<BackendLocation, { kind: "s3" }>,
  context: DoctorContext,
): Promise<CheckResult> {
  const where = `s3://${location.bucket} at ${location.endpoint}`;
  let s3;
  try {
    s3 = retryingS3Client(
      {
        endpoint: location.endpoint,
        region: location.region,
        forcePathStyle: location.forcePathStyle,
        credentials: s3CredentialsFromEnv(context.env),
      },
      { attempts: context.attempts ?? 3, timeoutMs: context.timeoutMs ?? 10_000 },
    );
  } catch (error) {
    return fail("backend", `${where}: ${oneLine(error)}`, "export SCW_ACCESS_KEY and SCW_SECRET_KEY");
  }
  try {
    await s3.send(new HeadBucketCommand({ Bucket: location.bucket }));
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: location.bucket }));
    if (versioning.Status !== "Enabled") {
      return warn(
        "backend",
        `${where} is reachable, but versioning is ${versioning.Status ? versioning.Status.toLowerCase() : "off"}: an overwritten state cannot be restored`,
        `enable versioning on the bucket (\`sovstack state init --backend s3://${location.bucket}\` does it)`,
      );
    }
    return ok("backend", `${where} is reachable, versioning enabled`);
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404)
      return fail(
        "backend",
        `${where}: the bucket does not exist`,
        `create it with \`sovstack state init --backend s3://${location.bucket}\``,
      );
    if (status === 403)
      return fail(
        "backend",
        `${where}: access denied`,
        "use an API key whose policy grants ObjectStorageFullAccess on the state bucket's project",
      );
    return fail(
      "backend",
      `${where} is unreachable: ${oneLine(error)}`,
      "check the endpoint and region in the URL, and the network",
    );
  } finally {
    s3.destroy();
  }
}

async function checkDatabase(
  location: Extract<BackendLocation, { kind: "postgres" }>,
  context: DoctorContext,
): Promise<CheckResult> {
  const where = redactedUrl(location.url);
  try {
    await withRetry(
      async () => {
        const client = new pg.Client({
          ...postgresClientConfig(location.connectionString),
          connectionTimeoutMillis: context.timeoutMs ?? 10_000,
        });
        client.on("error", () => undefined);
        try {
          await client.connect();
          await client.query("select 1");
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      {
        attempts: context.attempts ?? 3,
        timeoutMs: (context.timeoutMs ?? 10_000) + 1000,
        what: "reach the state database",
      },
    );
    return ok("backend", `${where} answers`);
  } catch (error) {
    return fail(
      "backend",
      `${where} is unreachable: ${oneLine(error)}`,
      "check host, port, user and password in the URL, that the database accepts your address (ACL), and sslmode",
    );
  }
}
