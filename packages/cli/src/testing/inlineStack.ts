import { randomUUID } from "node:crypto";
import { CreateBucketCommand, PutBucketVersioningCommand, type S3Client } from "@aws-sdk/client-s3";
import { LocalWorkspace, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { retryingS3Client } from "../resilience/s3Client";
import { ensureToolchain } from "../engine/toolchain";
import { pulumiIn } from "../engine/workspace";

/** Credentials the local Scaleway accepts (any well-formed pair). */
export const LOCAL_S3_CREDENTIALS = {
  accessKeyId: "SCWXXXXXXXXXXXXXXXXX",
  secretAccessKey: "11111111-1111-4111-8111-111111111111",
};

/** The environment sovstack's state code and the engine need for the local Scaleway's S3. */
export const LOCAL_S3_ENV = {
  AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
  AWS_CA_BUNDLE: "",
};

/**
 * A stack of an inline program with the pinned toolchain: the real engine and backend,
 * no cloud resource, so that tests of state handling run in seconds.
 */
export async function inlineStack(settings: {
  readonly backendUrl: string;
  readonly stackName: string;
  readonly projectName: string;
  readonly program: PulumiFn;
}): Promise<Stack> {
  const toolchain = await ensureToolchain();
  return LocalWorkspace.createOrSelectStack(
    { stackName: settings.stackName, projectName: settings.projectName, program: settings.program },
    {
      pulumiCommand: await pulumiIn(toolchain.binDir),
      envVars: {
        ...toolchain.env,
        ...LOCAL_S3_ENV,
        PULUMI_BACKEND_URL: settings.backendUrl,
        PULUMI_CONFIG_PASSPHRASE: "state-test",
        PULUMI_SKIP_UPDATE_CHECK: "true",
      },
    },
  );
}

/** A fresh bucket of the local Scaleway's Object Storage at `s3Url`, and its s3:// backend URL. */
export async function localBucket(
  s3Url: string,
  options: { readonly versioned?: boolean } = {},
): Promise<{ readonly bucket: string; readonly url: string; readonly s3: S3Client }> {
  const s3 = retryingS3Client({ endpoint: s3Url, region: "fr-par", credentials: LOCAL_S3_CREDENTIALS });
  const bucket = `state-${randomUUID()}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (options.versioned)
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
  return { bucket, s3, url: `s3://${bucket}?endpoint=${s3Url}&use_path_style=true&region=fr-par&awssdk=v2` };
}
