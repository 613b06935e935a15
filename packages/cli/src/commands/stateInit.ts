import type { Command } from "commander";
import { progress } from "../output";
import { INIT_DEFAULTS, REGIONS, planStateInit, type StateInitFlags } from "../state/init/plan";

interface StateInitOptions extends StateInitFlags {
  readonly json?: boolean;
}

/** `sovstack state init`: prepares the sovereign state backend, idempotently. */
export function registerStateInitCommand(state: Command): void {
  state
    .command("init")
    .description(
      "prepare the state backend on Scaleway: a private, versioned, encrypted bucket and its replica, the CI identity " +
        "and the passphrases in Secret Manager (s3://), or the state tables (postgres://). Running it again changes nothing.",
    )
    .option(
      "--backend <url>",
      "s3://<bucket>?endpoint=s3.<region>.scw.cloud&region=<region> or postgres://... (default: SOVSTACK_BACKEND_URL, PULUMI_BACKEND_URL)",
    )
    .option("--bucket <name>", "state bucket, instead of --backend")
    .option(
      "--region <region>",
      `region of the bucket and the secrets: ${REGIONS.join(", ")} (default ${INIT_DEFAULTS.region})`,
    )
    .option("--replica-region <region>", `region of the replica bucket (default ${INIT_DEFAULTS.replicaRegion})`)
    .option("--replica-bucket <name>", "replica bucket (default <bucket>-replica)")
    .option("--project-id <uuid>", "Scaleway project (default SCW_DEFAULT_PROJECT_ID)")
    .option(
      "--environments <list>",
      "environments that get a passphrase, comma-separated (default: infra/Pulumi.<env>.yaml)",
    )
    .option("--keep-days <days>", `days old state versions stay recoverable (default ${INIT_DEFAULTS.keepDays})`)
    .option("--keep-versions <n>", "old versions kept whatever their age (S3 NewerNoncurrentVersions; default unset)")
    .option(
      "--ci-application-name <name>",
      "IAM application of CI (default sovstack-ci-<first 8 characters of the project>)",
    )
    .option(
      "--operator <principal>",
      "also keep user_id:<uuid> or application_id:<uuid> in full control of the buckets (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      "--show-secret",
      "print the secret key of a CI API key created by this run (otherwise only in Secret Manager)",
    )
    .option("--json", "print what was created, updated or left unchanged as JSON")
    .action(async (options: StateInitOptions) => {
      // Every flag is checked before the first call: a bad one creates nothing (exit 64).
      const plan = planStateInit(options);
      // Imported only now: the Scaleway and S3 SDKs it loads are not needed for help or a bad flag.
      const { runStateInit } = await import("../state/init/run");
      progress(`preparing the state backend ${plan.backend}`);
      const report = await runStateInit(plan, progress);
      const showSecret = plan.kind === "s3" && plan.showSecret;
      if (options.json) console.log(JSON.stringify(report.toJSON(showSecret), null, 2));
      else process.stdout.write(report.toText(showSecret));
    });
}
