import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { withRetry, type RetryOptions } from "./retry";

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Scaleway credentials for Object Storage: SCW_* first, then the AWS_* names Pulumi's s3:// backend reads. */
export function s3CredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): S3Credentials {
  const accessKeyId = env.SCW_ACCESS_KEY ?? env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.SCW_SECRET_KEY ?? env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      "No Scaleway credentials for Object Storage. Fix: export SCW_ACCESS_KEY and SCW_SECRET_KEY (an API key of the deploy identity).",
    );
  }
  return { accessKeyId, secretAccessKey };
}

/**
 * An S3 client whose every call has a time limit and is retried on transient failures
 * by withRetry (429 with Retry-After, 5xx, broken connections), with backoff and jitter.
 * The SDK's own retries are off so that there is one retry policy, the one that
 * honours Retry-After.
 */
export function retryingS3Client(
  config: { endpoint: string; region: string; forcePathStyle?: boolean; credentials: S3Credentials },
  retry: RetryOptions = {},
): S3Client {
  const options: S3ClientConfig = {
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle ?? true,
    credentials: config.credentials,
    maxAttempts: 1,
    // Scaleway does not compute the CRC checksums newer SDKs add by default.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  };
  const client = new S3Client(options);
  const send = client.send.bind(client) as (
    command: unknown,
    options?: { abortSignal?: AbortSignal },
  ) => Promise<unknown>;
  (client as { send: unknown }).send = (command: { constructor: { name: string } }) =>
    withRetry((signal) => send(command, { abortSignal: signal }), {
      what: `${command.constructor.name.replace(/Command$/, "")} on Object Storage`,
      // State and lease calls are few and a deployment must not fail on a blip: more tries
      // than the default, which with capped backoff still gives up within half a minute.
      attempts: 8,
      ...retry,
    });
  return client;
}
