import { readdirSync } from "node:fs";
import { infraDir } from "../../paths";
import { UsageError } from "../../usageError";
import { parseBackendUrl, redactedUrl } from "../backendUrl";

/** Object Storage regions, which are also those of Secret Manager here. */
export const REGIONS = ["fr-par", "nl-ams", "pl-waw"] as const;
export type Region = (typeof REGIONS)[number];

/** Defaults of `sovstack state init`, in one visible place. */
export const INIT_DEFAULTS = {
  region: "fr-par",
  replicaRegion: "nl-ams",
  /** Days a replaced or deleted state file stays recoverable. */
  keepDays: 90,
  /** Days after which an upload that never completed is aborted (its parts cost storage). */
  abortUploadsAfterDays: 7,
} as const;

/** What the command line gives; every value is checked by planStateInit. */
export interface StateInitFlags {
  readonly backend?: string;
  readonly bucket?: string;
  readonly region?: string;
  readonly replicaRegion?: string;
  readonly replicaBucket?: string;
  readonly projectId?: string;
  readonly environments?: string;
  readonly keepDays?: string;
  readonly keepVersions?: string;
  readonly ciApplicationName?: string;
  readonly operator?: readonly string[];
  readonly showSecret?: boolean;
}

export interface ScalewayCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
  /** SCW_API_URL, or the public API. */
  readonly apiUrl: string;
  readonly organizationId: string | undefined;
}

/** One bucket the state lives in, and where to reach it. */
export interface BucketTarget {
  readonly name: string;
  readonly region: Region;
  readonly endpoint: string;
  readonly forcePathStyle: boolean;
}

export interface S3InitPlan {
  readonly kind: "s3";
  /** The backend URL without credentials, for messages. */
  readonly backend: string;
  readonly bucket: BucketTarget;
  readonly replica: BucketTarget;
  readonly projectId: string;
  readonly region: Region;
  readonly environments: readonly string[];
  readonly keepDays: number;
  /** Noncurrent versions kept whatever their age; unset: age alone decides. */
  readonly keepVersions: number | undefined;
  readonly ciApplicationName: string;
  /** Principals (`user_id:<id>`, `application_id:<id>`) kept in control besides the caller. */
  readonly operators: readonly string[];
  readonly showSecret: boolean;
  readonly credentials: ScalewayCredentials;
}

export interface PostgresInitPlan {
  readonly kind: "postgres";
  readonly backend: string;
  readonly connectionString: string;
  readonly table: string;
  readonly region: Region;
  readonly environments: readonly string[];
  /** Passphrases go to Secret Manager only with credentials and a project. */
  readonly secrets: { readonly credentials: ScalewayCredentials; readonly projectId: string } | undefined;
}

export type InitPlan = S3InitPlan | PostgresInitPlan;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACCESS_KEY = /^SCW[0-9A-Z]{17}$/;
const PRINCIPAL = /^(user_id|application_id):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENVIRONMENT = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$|^[a-z]$/;
const APPLICATION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SCALEWAY_S3_HOST = /^https:\/\/s3\.([a-z]+-[a-z]+)\.scw\.cloud\/?$/;

/**
 * Checks every flag and variable `sovstack state init` depends on before any call, and
 * reports every problem at once, each naming the flag, what is allowed and the fix.
 */
export function planStateInit(
  flags: StateInitFlags,
  env: NodeJS.ProcessEnv = process.env,
  environmentsFound: () => string[] = stackFilesIn(infraDir),
): InitPlan {
  const problems: string[] = [];
  const url = flags.backend ?? (flags.bucket ? undefined : (env.SOVSTACK_BACKEND_URL ?? env.PULUMI_BACKEND_URL));
  if (flags.backend && flags.bucket)
    problems.push("--backend and --bucket both name the state bucket. Fix: give one of them.");
  if (!url && !flags.bucket)
    problems.push(
      "no backend to prepare. Allowed: --backend s3://<bucket>?endpoint=s3.<region>.scw.cloud&region=<region>, " +
        "--backend postgres://..., or --bucket <name>. Fix: give one (or set SOVSTACK_BACKEND_URL).",
    );
  if (url?.startsWith("file://"))
    problems.push(
      `${redactedUrl(url)} is a file:// backend, which needs no preparation. Fix: give an s3:// or postgres:// backend.`,
    );

  let location: ReturnType<typeof parseBackendUrl> | undefined;
  if (url && !url.startsWith("file://")) {
    try {
      location = parseBackendUrl(url);
    } catch (error) {
      problems.push(`--backend: ${(error as Error).message}`);
    }
  }
  const urlRegion = url && location?.kind === "s3" ? new URL(url).searchParams.get("region") : null;
  if (urlRegion && flags.region && urlRegion !== flags.region)
    problems.push(
      `--region ${flags.region} differs from region=${urlRegion} in the backend URL. Fix: make them the same or drop --region.`,
    );
  const region = checkRegion(flags.region ?? urlRegion ?? INIT_DEFAULTS.region, "--region", problems);
  const environments = checkEnvironments(flags.environments, environmentsFound, problems);
  const credentials = scalewayCredentials(env, problems, location?.kind !== "postgres");
  const projectId = flags.projectId ?? env.SCW_DEFAULT_PROJECT_ID;
  if (projectId !== undefined && !UUID.test(projectId))
    problems.push(
      `--project-id: ${JSON.stringify(projectId)} is not a Scaleway project ID. Allowed: a UUID. Fix: copy it from the console (Project settings).`,
    );

  if (location?.kind === "postgres") {
    for (const flag of [
      "bucket",
      "replicaRegion",
      "replicaBucket",
      "keepDays",
      "keepVersions",
      "ciApplicationName",
    ] as const)
      if (flags[flag] !== undefined) problems.push(`--${kebab(flag)} applies to s3:// backends only. Fix: drop it.`);
    if (problems.length) throw invalid(problems);
    return {
      kind: "postgres",
      backend: redactedUrl(location.url),
      connectionString: location.connectionString,
      table: location.table,
      region: region!,
      environments,
      secrets: credentials && projectId ? { credentials, projectId } : undefined,
    };
  }

  const bucketName = flags.bucket ?? (location?.kind === "s3" ? location.bucket : undefined);
  if (bucketName !== undefined)
    checkBucketName(bucketName, flags.bucket ? "--bucket" : "the backend URL's bucket", problems);
  if (location?.kind === "s3" && location.prefix)
    problems.push(
      `the backend URL has a key prefix (${location.prefix}); state init prepares a whole bucket. Fix: use s3://<bucket> without a path.`,
    );
  const replicaRegion = checkRegion(flags.replicaRegion ?? INIT_DEFAULTS.replicaRegion, "--replica-region", problems);
  if (region && replicaRegion && region === replicaRegion)
    problems.push(
      `--replica-region ${replicaRegion} is the region of the state bucket. The replica is there to survive the loss of a region. ` +
        `Fix: pick another of ${REGIONS.join(", ")}.`,
    );
  const replicaName = flags.replicaBucket ?? (bucketName ? `${bucketName}-replica` : undefined);
  // A replica name made from a bad bucket name has the same problem: said once, for the bucket.
  if (replicaName !== undefined && (flags.replicaBucket || !bucketNameProblem(bucketName!))) {
    checkBucketName(
      replicaName,
      flags.replicaBucket ? "--replica-bucket" : "the replica bucket (<bucket>-replica)",
      problems,
    );
    if (replicaName === bucketName)
      problems.push("--replica-bucket is the state bucket itself. Fix: give another name.");
  }
  const endpoint =
    location?.kind === "s3"
      ? location.endpoint.replace(/\/+$/, "")
      : `https://s3.${region ?? INIT_DEFAULTS.region}.scw.cloud`;
  const endpointRegion = SCALEWAY_S3_HOST.exec(endpoint)?.[1];
  if (endpointRegion && region && endpointRegion !== region)
    problems.push(
      `the endpoint ${endpoint} is in ${endpointRegion}, the region asked is ${region}. Fix: use endpoint=s3.${region}.scw.cloud.`,
    );
  const keepDays =
    checkWhole(flags.keepDays, "--keep-days", 1, 3650, "days, such as 90", problems) ?? INIT_DEFAULTS.keepDays;
  const keepVersions = checkWhole(flags.keepVersions, "--keep-versions", 1, 100, "versions, such as 100", problems);
  if (!projectId)
    problems.push(
      "no project: the CI identity's rights are scoped to one. Fix: pass --project-id <uuid> or set SCW_DEFAULT_PROJECT_ID.",
    );
  const ciApplicationName = flags.ciApplicationName ?? (projectId ? `sovstack-ci-${projectId.slice(0, 8)}` : "");
  if (flags.ciApplicationName !== undefined && !APPLICATION_NAME.test(flags.ciApplicationName))
    problems.push(
      `--ci-application-name: ${JSON.stringify(flags.ciApplicationName)} is not valid. Allowed: 1 to 64 letters, digits, ., _, -, ` +
        "starting with a letter or digit. Fix: use a name such as sovstack-ci-myproject.",
    );
  const operators = [...(flags.operator ?? [])];
  for (const operator of operators)
    if (!PRINCIPAL.test(operator))
      problems.push(
        `--operator: ${JSON.stringify(operator)} is not a principal. Allowed: user_id:<uuid> or application_id:<uuid>. ` +
          "Fix: copy the ID from IAM in the console.",
      );

  if (problems.length) throw invalid(problems);
  const pathStyle = location?.kind === "s3" ? location.forcePathStyle : false;
  return {
    kind: "s3",
    backend: location?.kind === "s3" ? redactedUrl(location.url) : `s3://${bucketName}?region=${region}`,
    bucket: { name: bucketName!, region: region!, endpoint, forcePathStyle: pathStyle },
    // Scaleway's endpoints are per region; another endpoint (a local Scaleway) serves every region itself.
    replica: {
      name: replicaName!,
      region: replicaRegion!,
      endpoint: endpointRegion ? `https://s3.${replicaRegion}.scw.cloud` : endpoint,
      forcePathStyle: pathStyle,
    },
    projectId: projectId!,
    region: region!,
    environments,
    keepDays,
    keepVersions,
    ciApplicationName,
    operators,
    showSecret: flags.showSecret ?? false,
    credentials: credentials!,
  };
}

/** The environments of the Pulumi project: one Pulumi.<env>.yaml each. */
export function stackFilesIn(dir: string): () => string[] {
  return () => {
    try {
      return readdirSync(dir)
        .map((file) => /^Pulumi\.([^.]+)\.ya?ml$/.exec(file)?.[1])
        .filter((name): name is string => name !== undefined)
        .sort();
    } catch {
      return [];
    }
  };
}

function checkRegion(value: string, flag: string, problems: string[]): Region | undefined {
  if ((REGIONS as readonly string[]).includes(value)) return value as Region;
  problems.push(
    `${flag}: ${JSON.stringify(value)} is not a Scaleway Object Storage region. Allowed: ${REGIONS.join(", ")}.`,
  );
  return undefined;
}

/**
 * S3's bucket naming rules, which Scaleway applies: 3 to 63 characters, lowercase letters,
 * digits, dots and hyphens, starting and ending with a letter or digit, no two dots in a
 * row, no dot next to a hyphen, not shaped like an IP address, none of the reserved affixes.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `is ${name.length} characters long; allowed: 3 to 63`;
  if (!/^[a-z0-9.-]+$/.test(name)) return "may hold only lowercase letters, digits, dots and hyphens";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name))
    return "must start and end with a lowercase letter or a digit";
  if (/\.\.|\.-|-\./.test(name)) return "may not hold two dots in a row or a dot next to a hyphen";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "may not be shaped like an IP address";
  if (/^(xn--|sthree-)/.test(name) || /(-s3alias|--ol-s3)$/.test(name)) return "uses a prefix or suffix S3 reserves";
  return undefined;
}

function checkBucketName(name: string, what: string, problems: string[]): void {
  const problem = bucketNameProblem(name);
  if (problem)
    problems.push(`${what}: ${JSON.stringify(name)} ${problem}. Fix: choose a name such as sovstack-state-myproject.`);
}

function checkEnvironments(value: string | undefined, found: () => string[], problems: string[]): string[] {
  const names = value === undefined ? found() : value.split(",").map((name) => name.trim());
  if (names.length === 0 || (names.length === 1 && names[0] === "")) {
    problems.push(
      "--environments: none given and no infra/Pulumi.<env>.yaml found. Fix: pass --environments dev,staging,production.",
    );
    return [];
  }
  for (const name of names)
    if (!ENVIRONMENT.test(name))
      problems.push(
        `--environments: ${JSON.stringify(name)} is not an environment name. Allowed: lowercase letters, digits and hyphens, ` +
          "starting with a letter, at most 32. Fix: use names such as dev,staging,production.",
      );
  if (new Set(names).size !== names.length)
    problems.push("--environments names an environment twice. Fix: list each once.");
  return names;
}

function checkWhole(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
  example: string,
  problems: string[],
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (/^\d+$/.test(value) && number >= min && number <= max) return number;
  problems.push(
    `${flag}: ${JSON.stringify(value)} is not valid. Allowed: a whole number from ${min} to ${max}. Fix: give a number of ${example}.`,
  );
  return undefined;
}

/** Scaleway credentials from the environment; `required` for s3:// backends (IAM and Object Storage). */
function scalewayCredentials(
  env: NodeJS.ProcessEnv,
  problems: string[],
  required: boolean,
): ScalewayCredentials | undefined {
  const accessKey = env.SCW_ACCESS_KEY;
  const secretKey = env.SCW_SECRET_KEY;
  if (!accessKey && !secretKey && !required) return undefined;
  if (!accessKey || !secretKey) {
    problems.push(
      `${!accessKey ? "SCW_ACCESS_KEY" : "SCW_SECRET_KEY"} is not set. Fix: export SCW_ACCESS_KEY and SCW_SECRET_KEY ` +
        "(an API key of the person running init, with IAM and Object Storage rights).",
    );
    return undefined;
  }
  if (!ACCESS_KEY.test(accessKey))
    problems.push(
      "SCW_ACCESS_KEY is not an access key. Allowed: SCW followed by 17 letters or digits. Fix: copy it again.",
    );
  if (!UUID.test(secretKey)) problems.push("SCW_SECRET_KEY is not a secret key. Allowed: a UUID. Fix: copy it again.");
  const organizationId = env.SCW_DEFAULT_ORGANIZATION_ID;
  if (organizationId !== undefined && !UUID.test(organizationId))
    problems.push(
      "SCW_DEFAULT_ORGANIZATION_ID is not an organization ID. Allowed: a UUID. Fix: unset it or copy it again.",
    );
  return { accessKey, secretKey, apiUrl: env.SCW_API_URL ?? "https://api.scaleway.com", organizationId };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function invalid(problems: readonly string[]): UsageError {
  return new UsageError(
    `sovstack state init has ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was created:\n` +
      problems.map((problem) => `  - ${problem}`).join("\n"),
  );
}
