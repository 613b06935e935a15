import { accessDenied, authorizationMalformed, expiredRequest } from "./errors";
import { header, type S3Request } from "./request";

export interface Credentials {
  readonly accessKey: string;
  /** Region of the SigV4 credential scope, when there is one. */
  readonly region: string | undefined;
}

const CREDENTIAL_V4 = /^([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/s3\/aws4_request$/;
// SigV4a has no region in its scope.
const CREDENTIAL_V4A = /^([^/\s]+)\/(\d{8})\/s3\/aws4_request$/;

/**
 * Who is calling. Signatures are not verified (the local Scaleway accepts any key of the
 * right shape), but a request must carry credentials: a SigV4 Authorization header, a
 * presigned URL (V4 or V2), the V2 header, or an X-Auth-Token (a Scaleway token: the
 * recorded traffic the conformance replays carries no signature, only that).
 * Undefined: an anonymous request. Malformed credentials are refused.
 */
export function credentialsOf(request: S3Request): Credentials | undefined {
  const authorization = header(request, "authorization");
  if (authorization) return fromHeader(authorization);
  const query = request.query;
  if (query.has("X-Amz-Credential") || query.has("X-Amz-Signature")) return fromPresignedV4(query);
  if (query.has("AWSAccessKeyId")) {
    const expires = Number(query.get("Expires"));
    if (!query.get("Signature")) throw authorizationMalformed("the signature is missing");
    if (Number.isFinite(expires) && expires * 1000 < Date.now()) throw expiredRequest();
    return { accessKey: query.get("AWSAccessKeyId")!, region: undefined };
  }
  const token = header(request, "x-auth-token");
  if (token) return { accessKey: token, region: undefined };
  return undefined;
}

function fromHeader(authorization: string): Credentials {
  const space = authorization.indexOf(" ");
  const scheme = space < 0 ? authorization : authorization.slice(0, space);
  const rest = space < 0 ? "" : authorization.slice(space + 1);
  if (scheme === "AWS") {
    const match = /^([^:\s]+):(\S+)$/.exec(rest.trim());
    if (!match) throw authorizationMalformed("expected AWS <access key>:<signature>");
    return { accessKey: match[1]!, region: undefined };
  }
  if (scheme !== "AWS4-HMAC-SHA256" && scheme !== "AWS4-ECDSA-P256-SHA256")
    throw authorizationMalformed(`the authorization mechanism ${scheme} is not supported`);
  const fields = Object.fromEntries(
    rest.split(",").map((part) => {
      const equals = part.indexOf("=");
      return [part.slice(0, equals).trim(), part.slice(equals + 1).trim()];
    }),
  );
  if (!fields.SignedHeaders || !fields.Signature)
    throw authorizationMalformed("SignedHeaders and Signature are required");
  return parseCredential(fields.Credential);
}

function fromPresignedV4(query: URLSearchParams): Credentials {
  if (!query.get("X-Amz-Signature") || !query.get("X-Amz-Algorithm"))
    throw authorizationMalformed("X-Amz-Algorithm and X-Amz-Signature are required");
  const credentials = parseCredential(query.get("X-Amz-Credential") ?? undefined);
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get("X-Amz-Date") ?? "");
  const expires = Number(query.get("X-Amz-Expires") ?? "604800");
  if (date) {
    const signedAt = Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!);
    if (signedAt + expires * 1000 < Date.now()) throw expiredRequest();
  }
  return credentials;
}

function parseCredential(credential: string | undefined): Credentials {
  const v4 = CREDENTIAL_V4.exec(credential ?? "");
  if (v4) return { accessKey: v4[1]!, region: v4[3] };
  const v4a = CREDENTIAL_V4A.exec(credential ?? "");
  if (v4a) return { accessKey: v4a[1]!, region: undefined };
  throw authorizationMalformed(`the Credential ${credential ?? "(none)"} is not <key>/<date>/<region>/s3/aws4_request`);
}

/** Refuses an anonymous request. */
export function requireCredentials(credentials: Credentials | undefined): Credentials {
  if (!credentials) throw accessDenied();
  return credentials;
}
