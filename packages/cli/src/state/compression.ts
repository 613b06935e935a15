import { gunzipSync, gzipSync } from "node:zlib";

/**
 * How Pulumi's DIY backends compress a state object. With PULUMI_DIY_BACKEND_GZIP=true the
 * engine writes `<name>.json.gz`, with PULUMI_DIY_BACKEND_ZSTD=true `<name>.json.zst`, else
 * `<name>.json`. It reads by content, not by name: the first bytes say which.
 */
export type Compression = "none" | "gzip" | "zstd";

const EXTENSIONS: Readonly<Record<Compression, string>> = { none: "", gzip: ".gz", zstd: ".zst" };

/** Why stored bytes cannot be read; the message continues "the checkpoint …". */
export class UnreadableObjectError extends Error {
  override name = "UnreadableObjectError";
}

/** The name a `.json` key takes in that compression: `dev.json` → `dev.json.gz`. */
export function keyIn(jsonKey: string, compression: Compression): string {
  return `${jsonKey}${EXTENSIONS[compression]}`;
}

/** The compression a key's name announces. */
export function compressionOfKey(key: string): Compression {
  if (key.endsWith(EXTENSIONS.gzip)) return "gzip";
  if (key.endsWith(EXTENSIONS.zstd)) return "zstd";
  return "none";
}

/** The compression of stored bytes, by their magic number, as Pulumi's DetectCompression tells them. */
export function compressionOfBytes(bytes: Buffer): Compression {
  if (bytes.length >= 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08) return "gzip";
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x28b52ffd) return "zstd";
  return "none";
}

/** The JSON text of a stored object, whatever its compression. */
export function decompress(bytes: Buffer): Buffer {
  const compression = compressionOfBytes(bytes);
  if (compression === "none") return bytes;
  if (compression === "zstd") throw zstdUnsupported();
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new UnreadableObjectError(`is gzip-compressed but does not decompress (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/** The bytes as that compression stores them; bytes already in that form are returned unchanged. */
export function compressAs(bytes: Buffer, compression: Compression): Buffer {
  if (compressionOfBytes(bytes) === compression) return bytes;
  if (compression === "zstd") throw zstdUnsupported();
  const json = decompress(bytes);
  return compression === "gzip" ? gzipSync(json) : json;
}

/**
 * Node.js 20, which sovstack supports, has no zstd: sovstack reads and writes uncompressed
 * and gzip-compressed state only, and refuses to let its engine write zstd (see workspace.ts).
 */
function zstdUnsupported(): UnreadableObjectError {
  return new UnreadableObjectError(
    "is zstd-compressed (PULUMI_DIY_BACKEND_ZSTD), which sovstack cannot read. Fix: run one `sovstack up` with " +
      "PULUMI_DIY_BACKEND_ZSTD unset (PULUMI_DIY_BACKEND_GZIP=true to keep it compressed): the engine rewrites it",
  );
}

/** The engine's compression setting, read as Pulumi reads its boolean variables ("1" or "true"). */
export function engineCompression(env: NodeJS.ProcessEnv): Compression {
  const enabled = (name: string, alternative: string) => {
    const value = env[name] ?? env[alternative];
    return value === "1" || value?.toLowerCase() === "true";
  };
  if (enabled("PULUMI_DIY_BACKEND_ZSTD", "PULUMI_SELF_MANAGED_STATE_ZSTD")) return "zstd";
  if (enabled("PULUMI_DIY_BACKEND_GZIP", "PULUMI_SELF_MANAGED_STATE_GZIP")) return "gzip";
  return "none";
}
