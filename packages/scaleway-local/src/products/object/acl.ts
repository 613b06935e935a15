import { invalidArgument, malformedAcl } from "./errors";
import type { Acl, Grant, Grantee, Permission } from "./model";
import { header, type S3Request } from "./request";
import { SETTINGS_CONTENT_TYPE, xmlReply, type ObjectService, type S3Reply } from "./service";
import { readableVersion, versionIdHeader } from "./versions";
import { S3_NAMESPACE, XSI_NAMESPACE, childOf, children, el, parseXml, textOf, type XmlElement } from "./xml";

const GROUPS = "http://acs.amazonaws.com/groups/global/";
export const ALL_USERS = `${GROUPS}AllUsers`;
export const AUTHENTICATED_USERS = `${GROUPS}AuthenticatedUsers`;
const KNOWN_GROUPS = [ALL_USERS, AUTHENTICATED_USERS, "http://acs.amazonaws.com/groups/s3/LogDelivery"];
const PERMISSIONS: readonly Permission[] = ["FULL_CONTROL", "READ", "WRITE", "READ_ACP", "WRITE_ACP"];

const ownerGrant = (owner: string): Grant => ({
  grantee: { type: "CanonicalUser", id: owner },
  permission: "FULL_CONTROL",
});
const groupGrant = (uri: string, permission: Permission): Grant => ({ grantee: { type: "Group", uri }, permission });

/** A canned ACL (x-amz-acl): the owner's full control first, then the groups, as Scaleway lists them. */
export function cannedAcl(name: string, owner: string): Acl {
  const grants: Record<string, Grant[]> = {
    private: [],
    "public-read": [groupGrant(ALL_USERS, "READ")],
    "public-read-write": [groupGrant(ALL_USERS, "READ"), groupGrant(ALL_USERS, "WRITE")],
    "authenticated-read": [groupGrant(AUTHENTICATED_USERS, "READ")],
    "bucket-owner-read": [],
    "bucket-owner-full-control": [],
  };
  const extra = grants[name];
  if (!extra) throw invalidArgument(`The canned ACL ${name} is not valid.`, "x-amz-acl", name);
  return { owner, grants: [ownerGrant(owner), ...extra] };
}

export const privateAcl = (owner: string): Acl => cannedAcl("private", owner);

const GRANT_HEADERS: ReadonlyArray<[string, Permission]> = [
  ["x-amz-grant-full-control", "FULL_CONTROL"],
  ["x-amz-grant-read", "READ"],
  ["x-amz-grant-write", "WRITE"],
  ["x-amz-grant-read-acp", "READ_ACP"],
  ["x-amz-grant-write-acp", "WRITE_ACP"],
];

/** The ACL a request sets with x-amz-acl or x-amz-grant-* headers; undefined when it sets none. */
export function aclFromHeaders(request: S3Request, owner: string): Acl | undefined {
  const canned = header(request, "x-amz-acl");
  const grants: Grant[] = [];
  for (const [name, permission] of GRANT_HEADERS) {
    const value = header(request, name);
    if (!value) continue;
    for (const part of value.split(",")) {
      const match = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/.exec(part);
      if (!match) throw invalidArgument(`The header ${name} is not valid.`, name, value);
      grants.push({ grantee: granteeOf(match[1]!, match[2]!), permission });
    }
  }
  if (canned && grants.length)
    throw invalidArgument("Specifying both Canned ACLs and Header Grants is not allowed", "x-amz-acl", canned);
  if (canned) return cannedAcl(canned, owner);
  return grants.length ? { owner, grants } : undefined;
}

function granteeOf(kind: string, value: string): Grantee {
  if (kind === "id") return { type: "CanonicalUser", id: value };
  if (kind === "uri" && KNOWN_GROUPS.includes(value)) return { type: "Group", uri: value };
  if (kind === "uri") throw invalidArgument("Invalid group uri", "uri", value);
  throw invalidArgument("Grants by e-mail address are not supported", "emailAddress", value);
}

/** An AccessControlPolicy document; grants keep the order they were sent in. */
export function aclFromXml(body: Buffer, owner: string): Acl {
  const policy = parseXml(body, "AccessControlPolicy");
  const list = childOf(policy, "AccessControlList");
  if (!list) throw malformedAcl();
  const grants = children(list, "Grant").map((grant): Grant => {
    const grantee = childOf(grant, "Grantee");
    const permission = textOf(grant, "Permission") as Permission;
    if (!grantee || !PERMISSIONS.includes(permission)) throw malformedAcl();
    const id = textOf(grantee, "ID");
    const uri = textOf(grantee, "URI");
    const email = textOf(grantee, "EmailAddress");
    if (id) return { grantee: granteeOf("id", id), permission };
    if (uri) return { grantee: granteeOf("uri", uri), permission };
    if (email) return { grantee: granteeOf("emailAddress", email), permission };
    throw malformedAcl();
  });
  return { owner, grants };
}

function granteeElement(grantee: Grantee): XmlElement {
  const attributes = { "xmlns:xsi": XSI_NAMESPACE, "xsi:type": grantee.type };
  return grantee.type === "CanonicalUser"
    ? el("Grantee", [el("ID", grantee.id), el("DisplayName", grantee.id)], attributes)
    : el("Grantee", [el("URI", grantee.uri)], attributes);
}

export function ownerElement(owner: string): XmlElement {
  return el("Owner", [el("DisplayName", owner), el("ID", owner)]);
}

function aclDocument(acl: Acl): XmlElement {
  return el(
    "AccessControlPolicy",
    [
      ownerElement(acl.owner),
      el(
        "AccessControlList",
        acl.grants.map((grant) => el("Grant", [granteeElement(grant.grantee), el("Permission", grant.permission)])),
      ),
    ],
    { xmlns: S3_NAMESPACE },
  );
}

/** Whether anyone, even without credentials, may read what this ACL guards. */
export function grantsPublicRead(acl: Acl): boolean {
  return acl.grants.some(
    (grant) =>
      grant.grantee.type === "Group" &&
      grant.grantee.uri === ALL_USERS &&
      (grant.permission === "READ" || grant.permission === "FULL_CONTROL"),
  );
}

/** The ACL a PUT ?acl sets: headers or a document, not both. */
function aclToSet(request: S3Request, owner: string): Acl {
  const fromHeaders = aclFromHeaders(request, owner);
  if (fromHeaders) return fromHeaders;
  if (request.body.length === 0) throw malformedAcl();
  return aclFromXml(request.body, owner);
}

export function getBucketAcl(service: ObjectService, request: S3Request): S3Reply {
  return xmlReply(aclDocument(service.requireBucket(request).acl), SETTINGS_CONTENT_TYPE);
}

export function putBucketAcl(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  bucket.acl = aclToSet(request, bucket.acl.owner);
  service.state.buckets.touch();
  return {};
}

export function getObjectAcl(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const version = readableVersion(service, request, bucket);
  return xmlReply(aclDocument(version.acl), SETTINGS_CONTENT_TYPE, {
    "x-amz-version-id": versionIdHeader(bucket, version),
  });
}

export function putObjectAcl(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const version = readableVersion(service, request, bucket);
  version.acl = aclToSet(request, version.acl.owner);
  service.state.changed();
  return { headers: { "x-amz-version-id": versionIdHeader(bucket, version) } };
}
