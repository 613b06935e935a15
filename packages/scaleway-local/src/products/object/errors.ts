/**
 * S3 errors as Scaleway Object Storage answers them: an HTTP status, a code that SDKs
 * switch on (NoSuchKey, PreconditionFailed, SlowDown...), the message Scaleway sends, and
 * the extra elements some codes carry (BucketName, Condition...). The request ID and the
 * resource are added when the error is written.
 */
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra elements after Resource, in order. */
    readonly details: Readonly<Record<string, string>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

const e = (status: number, code: string, message: string, details?: Record<string, string>) =>
  new S3Error(status, code, message, details);

export const accessDenied = (message = "Access Denied") => e(403, "AccessDenied", message);
export const authorizationMalformed = (why: string) =>
  e(400, "AuthorizationHeaderMalformed", `The authorization header is malformed; ${why}`);
export const expiredRequest = () => e(403, "AccessDenied", "Request has expired");

// As recorded: Resource names the bucket, no BucketName element.
export const noSuchBucket = () => e(404, "NoSuchBucket", "The specified bucket does not exist");
export const noSuchKey = (key: string) => e(404, "NoSuchKey", "The specified key does not exist.", { Key: key });
export const noSuchVersion = (key: string, versionId: string) =>
  e(404, "NoSuchVersion", "The specified version does not exist.", { Key: key, VersionId: versionId });
export const noSuchUpload = (uploadId: string) =>
  e(
    404,
    "NoSuchUpload",
    "The specified multipart upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    { UploadId: uploadId },
  );
export const bucketAlreadyOwnedByYou = (bucket: string) =>
  e(
    409,
    "BucketAlreadyOwnedByYou",
    "Your previous request to create the named bucket succeeded and you already own it.",
    { BucketName: bucket },
  );
export const bucketAlreadyExists = (bucket: string) =>
  e(
    409,
    "BucketAlreadyExists",
    "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
    { BucketName: bucket },
  );
export const bucketNotEmpty = () => e(409, "BucketNotEmpty", "The bucket that you tried to delete is not empty.");
export const invalidBucketName = (bucket: string) =>
  e(400, "InvalidBucketName", "The specified bucket is not valid.", { BucketName: bucket });
export const invalidBucketState = (message: string) => e(409, "InvalidBucketState", message);
export const invalidLocationConstraint = () =>
  e(400, "InvalidLocationConstraint", "The specified location-constraint is not valid");

/** Absent bucket settings: each has its own code, as recorded. */
export const noSuchLifecycle = (bucket: string) =>
  e(404, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", { BucketName: bucket });
export const noSuchCors = () => e(404, "NoSuchCORSConfiguration", "The CORS configuration does not exist");
export const noSuchTagSet = (bucket: string) =>
  e(404, "NoSuchTagSet", "The TagSet does not exist", { BucketName: bucket });
export const noSuchObjectLock = () =>
  e(404, "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket");
export const noSuchPolicy = (bucket: string) =>
  e(404, "NoSuchBucketPolicy", "The bucket policy does not exist", { BucketName: bucket });
export const noSuchWebsite = (bucket: string) =>
  e(404, "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration", {
    BucketName: bucket,
  });
export const noSuchEncryption = (bucket: string) =>
  e(404, "ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found", {
    BucketName: bucket,
  });
export const noSuchObjectRetention = () =>
  e(404, "NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration");

export const preconditionFailed = (condition: string) =>
  e(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", {
    Condition: condition,
  });
export const invalidRange = (range: string, size: number) =>
  new S3Error(
    416,
    "InvalidRange",
    "The requested range is not satisfiable",
    { RangeRequested: range, ActualObjectSize: String(size) },
    { "content-range": `bytes */${size}` },
  );

export const malformedXml = () =>
  e(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
export const malformedPolicy = (why: string) => e(400, "MalformedPolicy", why);
export const malformedAcl = () =>
  e(
    400,
    "MalformedACLError",
    "The XML you provided was not well-formed or did not validate against our published schema",
  );
export const invalidArgument = (message: string, name?: string, value?: string) =>
  e(400, "InvalidArgument", message, name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? "" });
export const invalidRequest = (message: string) => e(400, "InvalidRequest", message);
export const invalidTag = (message: string) => e(400, "InvalidTag", message);
export const invalidStorageClass = () => e(400, "InvalidStorageClass", "The storage class you specified is not valid");
export const invalidUri = () => e(400, "InvalidURI", "Couldn't parse the specified URI.");
export const invalidDigest = () => e(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
export const badDigest = (what = "Content-MD5") =>
  e(400, "BadDigest", `The ${what} you specified did not match what we received.`);
export const incompleteBody = () =>
  e(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header");
export const metadataTooLarge = () =>
  e(400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.");
export const invalidPart = () =>
  e(
    400,
    "InvalidPart",
    "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.",
  );
export const invalidPartOrder = () =>
  e(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
export const entityTooSmall = () =>
  e(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
export const entityTooLarge = () =>
  e(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
export const missingContentLength = () =>
  e(411, "MissingContentLength", "You must provide the Content-Length HTTP header.");
export const methodNotAllowed = () =>
  e(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
export const notImplemented = () =>
  e(501, "NotImplemented", "A header you provided implies functionality that is not implemented");

/** Faults on demand: the status a fault rule picked, with the code S3 clients expect for it. */
export function faultError(status: number, retryAfterSeconds: number): S3Error {
  const codes: Record<number, [string, string]> = {
    429: ["TooManyRequests", "Please reduce your request rate."],
    500: ["InternalError", "We encountered an internal error. Please try again."],
    502: ["BadGateway", "The server received an invalid response from upstream."],
    503: ["SlowDown", "Please reduce your request rate."],
    504: ["GatewayTimeout", "The server did not answer in time."],
  };
  const [code, message] = codes[status] ?? ["InternalError", "We encountered an internal error. Please try again."];
  const headers: Record<string, string> = status === 429 ? { "retry-after": String(retryAfterSeconds) } : {};
  return new S3Error(status, code, message, {}, headers);
}
