import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";

/** The Pulumi configuration namespace of sovstack's keys (`sovstack:services`, ...). */
export const CONFIG_NAMESPACE = "sovstack";

/**
 * The sovstack part of a Pulumi configuration map (`{"sovstack:region": "fr-par", ...}`),
 * as one object. Values the Pulumi engine hands over as JSON text are parsed.
 */
export function fromConfigMap(entries: Record<string, unknown>): Record<string, unknown> {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const result: Record<string, unknown> = {};
  for (const [fullKey, value] of Object.entries(entries)) {
    if (!fullKey.startsWith(prefix)) continue;
    result[fullKey.slice(prefix.length)] = typeof value === "string" ? parseJsonText(value) : value;
  }
  return result;
}

function parseJsonText(value: string): unknown {
  const trimmed = value.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

/** Reads the sovstack keys of a `Pulumi.<env>.yaml` file, without the Pulumi engine. */
export function readStackFile(path: string): Record<string, unknown> {
  const text = readFileSync(path, "utf8");
  const document = (parseYaml(text) ?? {}) as { config?: Record<string, unknown> };
  return fromConfigMap(document.config ?? {});
}
