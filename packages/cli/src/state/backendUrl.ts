import { homedir } from "node:os";
import { resolve } from "node:path";
import { UsageError } from "../usageError";

/** Where a state backend keeps its objects, parsed from the URL Pulumi logs in to. */
export type BackendLocation =
  | { readonly kind: "file"; readonly url: string; readonly dir: string }
  | {
      readonly kind: "s3";
      readonly url: string;
      readonly bucket: string;
      /** Key prefix inside the bucket ("" or "team/"), as `s3://bucket/team`. */
      readonly prefix: string;
      readonly region: string;
      /** https://s3.<region>.scw.cloud, or a local endpoint. */
      readonly endpoint: string;
      readonly forcePathStyle: boolean;
    }
  | {
      readonly kind: "postgres";
      readonly url: string;
      readonly connectionString: string;
      readonly table: string;
      /** Pulumi prefixes keys with the URL's path, here the database name: "<database>/". */
      readonly prefix: string;
    };

const SUPPORTED =
  "file://<folder>, s3://<bucket>?endpoint=s3.<region>.scw.cloud&region=<region>, postgres://<user>:<password>@<host>:<port>/<database>";

const FIX = "Fix: pass one with --backend, or set SOVSTACK_BACKEND_URL (PULUMI_BACKEND_URL is read when it is unset).";

export function parseBackendUrl(url: string): BackendLocation {
  if (url.startsWith("file://")) return { kind: "file", url, dir: resolve(expandHome(url.slice("file://".length))) };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`backend ${JSON.stringify(url)} is not a URL. Allowed: ${SUPPORTED}. ${FIX}`);
  }
  if (parsed.protocol === "s3:") {
    const region = parsed.searchParams.get("region") ?? process.env.SCW_DEFAULT_REGION ?? "fr-par";
    const endpointParam = parsed.searchParams.get("endpoint") ?? `s3.${region}.scw.cloud`;
    const endpoint = /^https?:\/\//.test(endpointParam) ? endpointParam : `https://${endpointParam}`;
    const pathStyle = parsed.searchParams.get("use_path_style") ?? parsed.searchParams.get("s3ForcePathStyle");
    return {
      kind: "s3",
      url,
      bucket: parsed.hostname,
      prefix: subFolder(parsed.pathname),
      region,
      endpoint,
      forcePathStyle: pathStyle === "true" || endpoint.startsWith("http://"),
    };
  }
  if (parsed.protocol === "postgres:" || parsed.protocol === "postgresql:") {
    const table = parsed.searchParams.get("table") ?? "pulumi_state";
    if (!/^[a-z_][a-z0-9_]*$/i.test(table))
      throw new UsageError(`backend table ${JSON.stringify(table)} is not a plain SQL name. Fix: letters, digits, _.`);
    parsed.searchParams.delete("table");
    return { kind: "postgres", url, connectionString: parsed.toString(), table, prefix: subFolder(parsed.pathname) };
  }
  throw new UsageError(`backend ${JSON.stringify(url)} is not supported. Allowed: ${SUPPORTED}. ${FIX}`);
}

/** The key prefix Pulumi's DIY backends make of a URL's path: "a/b" → "a/b/". */
function subFolder(pathname: string): string {
  const folder = decodeURIComponent(pathname).replace(/^\/+/, "");
  return folder && !folder.endsWith("/") ? `${folder}/` : folder;
}

/**
 * The URL the engine is given. Pulumi resolves a relative file:// path from its working
 * folder (the project, infra/), sovstack from the shell's: both must mean one folder.
 */
export function absoluteBackendUrl(url: string): string {
  return url.startsWith("file://") ? `file://${resolve(expandHome(url.slice("file://".length)))}` : url;
}

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? `${homedir()}${path.slice(1)}` : path;
}

/** Whether a command's argument names a backend (else it is a file, such as a backup). */
export function isBackendUrl(value: string): boolean {
  return /^(file|s3|postgres|postgresql):\/\//.test(value);
}

/** The URL without credentials, for messages and logs. */
export function redactedUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, "//$1:***@");
}
