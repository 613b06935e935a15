import { createHash, randomUUID } from "node:crypto";
import { aclFromHeaders, ownerElement, privateAcl } from "./acl";
import {
  checksumElement,
  checksumHeader,
  computeChecksum,
  md5Hex,
  parseAlgorithm,
  type Checksum,
  type ChecksumAlgorithm,
} from "./checksums";
import { checkCustomerKey, encryptionForWrite, encryptionHeaders } from "./encryption";
import {
  entityTooSmall,
  invalidArgument,
  invalidPart,
  invalidPartOrder,
  invalidRange,
  malformedXml,
  noSuchUpload,
} from "./errors";
import type { BucketRecord, PartRecord, UploadRecord } from "./model";
import {
  checkKey,
  commitVersion,
  copySourceOf,
  isoSeconds,
  metadataOf,
  storageClassOf,
  storedHeaders,
} from "./objects";
import { retentionForWrite } from "./object-lock";
import { header, type S3Request } from "./request";
import { xmlReply, type ObjectService, type S3Reply } from "./service";
import { tagsFromHeader } from "./tagging";
import { versionIdHeader } from "./versions";
import { maxKeysOf } from "./listing";
import { S3_NAMESPACE, children, el, opt, parseXml, textOf, type XmlElement } from "./xml";

const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;

function requireUpload(service: ObjectService, request: S3Request, bucket: BucketRecord): UploadRecord {
  const uploadId = request.query.get("uploadId") ?? "";
  const upload = service.state.uploads.get(uploadId);
  if (!upload || upload.bucket !== bucket.id || upload.key !== request.key) throw noSuchUpload(uploadId);
  return upload;
}

function partNumberOf(request: S3Request): number {
  const value = request.query.get("partNumber") ?? "";
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > MAX_PARTS)
    throw invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", value);
  return number;
}

export function createMultipartUpload(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  checkKey(request);
  const owner = service.canonicalId(bucket.project);
  const lock = retentionForWrite(bucket, request);
  const upload: UploadRecord = {
    id: randomUUID(),
    bucket: bucket.id,
    key: request.key!,
    initiated: Date.now(),
    headers: storedHeaders(request),
    metadata: metadataOf(request),
    storageClass: storageClassOf(request),
    acl: aclFromHeaders(request, owner) ?? privateAcl(owner),
    tags: tagsFromHeader(request),
    encryption: encryptionForWrite(bucket, request),
    retention: lock.retention,
    legalHold: lock.legalHold,
    checksumAlgorithm: parseAlgorithm(header(request, "x-amz-checksum-algorithm")) ?? null,
    parts: {},
  };
  service.state.uploads.insert(upload);
  return xmlReply(
    el("InitiateMultipartUploadResult", [el("Bucket", bucket.id), el("Key", upload.key), el("UploadId", upload.id)], {
      xmlns: S3_NAMESPACE,
    }),
    "application/xml",
    { "x-amz-checksum-algorithm": upload.checksumAlgorithm ?? undefined, ...encryptionHeaders(upload.encryption) },
  );
}

/** Keeps a part (a part sent again replaces the previous one). */
function storePart(service: ObjectService, upload: UploadRecord, partNumber: number, data: Buffer, sent?: Checksum) {
  const blob = randomUUID();
  service.state.blobs.write(blob, data);
  const algorithm = upload.checksumAlgorithm;
  const checksum = algorithm ? (sent?.algorithm === algorithm ? sent.value : computeChecksum(algorithm, data)) : null;
  const part: PartRecord = {
    partNumber,
    etag: `"${md5Hex(data)}"`,
    size: data.length,
    blob,
    lastModified: Date.now(),
    checksum,
  };
  const previous = upload.parts[String(partNumber)];
  if (previous) service.state.blobs.remove(previous.blob);
  upload.parts[String(partNumber)] = part;
  service.state.uploads.touch();
  return part;
}

function partChecksumHeaders(upload: UploadRecord, part: PartRecord): Record<string, string> {
  return upload.checksumAlgorithm && part.checksum ? { [checksumHeader(upload.checksumAlgorithm)]: part.checksum } : {};
}

export function uploadPart(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const upload = requireUpload(service, request, bucket);
  checkCustomerKey(upload.encryption, request);
  const part = storePart(service, upload, partNumberOf(request), request.body, request.checksum);
  return {
    headers: { etag: part.etag, ...partChecksumHeaders(upload, part), ...encryptionHeaders(upload.encryption) },
  };
}

/** A part copied from an object, whole or `x-amz-copy-source-range: bytes=a-b`. */
export function uploadPartCopy(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const upload = requireUpload(service, request, bucket);
  const partNumber = partNumberOf(request);
  const source = copySourceOf(service, request);
  let data = service.state.blobs.read(source.version.blob!);
  const range = header(request, "x-amz-copy-source-range");
  if (range) {
    const match = /^bytes=(\d+)-(\d+)$/.exec(range);
    if (!match)
      throw invalidArgument(
        "The x-amz-copy-source-range value must be of the form bytes=first-last",
        "x-amz-copy-source-range",
        range,
      );
    const start = Number(match[1]);
    const end = Number(match[2]);
    if (start > end || end >= data.length) throw invalidRange(range, data.length);
    data = data.subarray(start, end + 1);
  }
  const part = storePart(service, upload, partNumber, data);
  return xmlReply(
    el(
      "CopyPartResult",
      [
        el("ETag", part.etag),
        el("LastModified", isoSeconds(part.lastModified)),
        upload.checksumAlgorithm && part.checksum
          ? el(checksumElement(upload.checksumAlgorithm), part.checksum)
          : undefined,
      ],
      { xmlns: S3_NAMESPACE },
    ),
    "application/xml",
    { "x-amz-copy-source-version-id": versionIdHeader(source.bucket, source.version) },
  );
}

/** The object's checksum: CRCs over the whole object; SHAs as S3's composite of the parts' digests. */
function uploadChecksum(algorithm: ChecksumAlgorithm | null, data: Buffer, parts: PartRecord[]): Checksum | null {
  if (!algorithm) return null;
  if (algorithm.startsWith("CRC")) return { algorithm, value: computeChecksum(algorithm, data), type: "FULL_OBJECT" };
  const digests = Buffer.concat(parts.map((part) => Buffer.from(part.checksum ?? "", "base64")));
  const hash = createHash(algorithm === "SHA1" ? "sha1" : "sha256")
    .update(digests)
    .digest("base64");
  return { algorithm, value: `${hash}-${parts.length}`, type: "COMPOSITE" };
}

export function completeMultipartUpload(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const upload = requireUpload(service, request, bucket);
  const listed = children(parseXml(request.body, "CompleteMultipartUpload"), "Part").map((part) => ({
    number: Number(textOf(part, "PartNumber")),
    etag: (textOf(part, "ETag") ?? "").replace(/"/g, ""),
  }));
  if (listed.length === 0 || listed.some((part) => !Number.isInteger(part.number))) throw malformedXml();
  const parts = listed.map((item, index) => {
    if (index > 0 && item.number <= listed[index - 1]!.number) throw invalidPartOrder();
    const part = upload.parts[String(item.number)];
    if (!part || part.etag.replace(/"/g, "") !== item.etag) throw invalidPart();
    return part;
  });
  if (parts.slice(0, -1).some((part) => part.size < MIN_PART_SIZE)) throw entityTooSmall();
  const data = Buffer.concat(parts.map((part) => service.state.blobs.read(part.blob)));
  const digests = Buffer.concat(parts.map((part) => Buffer.from(part.etag.replace(/"/g, ""), "hex")));
  const etag = `"${createHash("md5").update(digests).digest("hex")}-${parts.length}"`;
  const checksum = uploadChecksum(upload.checksumAlgorithm, data, parts);
  const blob = randomUUID();
  service.state.blobs.write(blob, data);
  let version;
  try {
    version = commitVersion(service, bucket, request, {
      lastModified: Date.now(),
      etag,
      size: data.length,
      blob,
      headers: upload.headers,
      metadata: upload.metadata,
      storageClass: upload.storageClass,
      checksum,
      tags: upload.tags,
      acl: upload.acl,
      encryption: upload.encryption,
      retention: upload.retention,
      legalHold: upload.legalHold,
      partsCount: parts.length,
    });
  } catch (error) {
    service.state.blobs.remove(blob);
    throw error;
  }
  removeUpload(service, upload);
  const location = request.virtualHosted
    ? `https://${bucket.id}.s3.${bucket.region}.scw.cloud/${encodeURI(version.key)}`
    : `${request.endpoint}/${bucket.id}/${encodeURI(version.key)}`;
  return xmlReply(
    el(
      "CompleteMultipartUploadResult",
      [
        el("Location", location),
        el("Bucket", bucket.id),
        el("Key", version.key),
        el("ETag", etag),
        checksum ? el(checksumElement(checksum.algorithm), checksum.value) : undefined,
        opt("ChecksumType", checksum?.type),
      ],
      { xmlns: S3_NAMESPACE },
    ),
    "application/xml",
    { "x-amz-version-id": versionIdHeader(bucket, version), ...encryptionHeaders(version.encryption) },
  );
}

function removeUpload(service: ObjectService, upload: UploadRecord): void {
  for (const part of Object.values(upload.parts)) service.state.blobs.remove(part.blob);
  service.state.uploads.delete(upload.id);
}

export function abortMultipartUpload(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  removeUpload(service, requireUpload(service, request, bucket));
  return { status: 204 };
}

const initiator = (upload: UploadRecord): XmlElement[] => [
  el("Initiator", [el("ID", upload.acl.owner), el("DisplayName", upload.acl.owner)]),
  ownerElement(upload.acl.owner),
];

export function listParts(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const upload = requireUpload(service, request, bucket);
  const max = maxKeysOf(request, "max-parts");
  const marker = Number(request.query.get("part-number-marker") ?? "0") || 0;
  const all = Object.values(upload.parts)
    .filter((part) => part.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  return xmlReply(
    el(
      "ListPartsResult",
      [
        el("Bucket", bucket.id),
        el("Key", upload.key),
        el("UploadId", upload.id),
        el("PartNumberMarker", marker),
        el("NextPartNumberMarker", page.at(-1)?.partNumber ?? marker),
        el("MaxParts", max),
        el("IsTruncated", truncated),
        ...page.map((part) =>
          el("Part", [
            el("PartNumber", part.partNumber),
            el("LastModified", isoSeconds(part.lastModified)),
            el("ETag", part.etag),
            el("Size", part.size),
            upload.checksumAlgorithm && part.checksum
              ? el(checksumElement(upload.checksumAlgorithm), part.checksum)
              : undefined,
          ]),
        ),
        ...initiator(upload),
        el("StorageClass", upload.storageClass),
        opt("ChecksumAlgorithm", upload.checksumAlgorithm ?? undefined),
      ],
      { xmlns: S3_NAMESPACE },
    ),
  );
}

/** GET /?uploads: uploads in progress, by key then start time. */
export function listMultipartUploads(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const q = request.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const keyMarker = q.get("key-marker") ?? "";
  const uploadIdMarker = q.get("upload-id-marker") ?? "";
  const max = maxKeysOf(request, "max-uploads");
  const uploads = service.state.uploads
    .list((upload) => upload.bucket === bucket.id && upload.key.startsWith(prefix))
    .sort((a, b) => (a.key === b.key ? a.initiated - b.initiated : a.key < b.key ? -1 : 1))
    .filter((upload) => {
      if (!keyMarker) return true;
      if (upload.key !== keyMarker) return upload.key > keyMarker;
      return uploadIdMarker !== "" && upload.id > uploadIdMarker;
    });
  const listed: UploadRecord[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  for (const upload of uploads) {
    const cut = delimiter ? upload.key.indexOf(delimiter, prefix.length) : -1;
    const common = cut >= 0 ? upload.key.slice(0, cut + delimiter.length) : undefined;
    if (common && prefixes.at(-1) === common) continue;
    if (listed.length + prefixes.length >= max) {
      truncated = true;
      break;
    }
    if (common) prefixes.push(common);
    else listed.push(upload);
  }
  const last = listed.at(-1);
  return xmlReply(
    el(
      "ListMultipartUploadsResult",
      [
        el("Bucket", bucket.id),
        el("KeyMarker", keyMarker),
        el("UploadIdMarker", uploadIdMarker),
        el("NextKeyMarker", last?.key ?? ""),
        el("NextUploadIdMarker", last?.id ?? ""),
        el("MaxUploads", max),
        el("IsTruncated", truncated),
        ...listed.map((upload) =>
          el("Upload", [
            el("Key", upload.key),
            el("UploadId", upload.id),
            ...initiator(upload),
            el("StorageClass", upload.storageClass),
            el("Initiated", isoSeconds(upload.initiated)),
          ]),
        ),
        el("Prefix", prefix),
        delimiter ? el("Delimiter", delimiter) : undefined,
        ...prefixes.map((common) => el("CommonPrefixes", [el("Prefix", common)])),
      ],
      { xmlns: S3_NAMESPACE },
    ),
  );
}
