import type { LocalContext } from "../../context";
import { accessDenied, noSuchBucket } from "./errors";
import type { BucketRecord } from "./model";
import { header, type S3Request } from "./request";
import type { ObjectState } from "./state";
import { xmlDocument, type XmlElement } from "./xml";

/** What an S3 operation answers; the handler adds request IDs and lengths. */
export interface S3Reply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: Buffer | string;
}

/** Config GETs answer text/xml like Scaleway; listings and results application/xml. */
export function xmlReply(
  root: XmlElement,
  contentType = "application/xml",
  headers: Readonly<Record<string, string | undefined>> = {},
): S3Reply {
  return { headers: { "content-type": contentType, ...headers }, body: xmlDocument(root) };
}

export const SETTINGS_CONTENT_TYPE = "text/xml; charset=utf-8";

/** The Object Storage of one local Scaleway: its state, and who owns what. */
export class ObjectService {
  constructor(
    readonly context: LocalContext,
    readonly state: ObjectState,
  ) {}

  /** Buckets belong to the local organisation's default project. */
  get project(): string {
    return this.context.defaultProjectId;
  }

  /** Canonical user ID as Scaleway shows it in ACLs and listings. */
  canonicalId(project = this.project): string {
    return `${project}:${project}`;
  }

  /**
   * The bucket the request addresses. A bucket lives in one region: through another
   * region's endpoint it does not exist (as recorded). The plain endpoint serves all.
   */
  requireBucket(request: S3Request): BucketRecord {
    const bucket = request.bucket ? this.state.bucket(request.bucket) : undefined;
    if (!bucket || (request.region && bucket.region !== request.region)) throw noSuchBucket();
    const expectedOwner = header(request, "x-amz-expected-bucket-owner");
    if (
      expectedOwner &&
      ![bucket.project, this.canonicalId(bucket.project), this.context.organizationId].includes(expectedOwner)
    )
      throw accessDenied();
    return bucket;
  }
}
