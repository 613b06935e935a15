import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { isMap, isScalar, parseDocument, type Document, type YAMLMap } from "yaml";
import type { ScaffoldChoices } from "./choices";

/** The stack file's text, and what the user should look at before deploying it. */
export interface RenderedStackFile {
  readonly text: string;
  /** Things copied from the source that may not fit the new environment. */
  readonly notes: readonly string[];
}

/** Keys that belong to the source stack's secrets provider: Pulumi writes the new stack's own. */
const SECRETS_PROVIDER_KEYS = ["encryptionsalt", "secretsprovider", "encryptedkey"];

const KEY = (name: string) => `sovstack:${name}`;

/** The keys init writes itself; the rest is copied from the source. */
const SET_BY_INIT = new Set(["environment", "namePrefix", "projectId", "region", "owner", "costCenter"].map(KEY));

/**
 * The new Pulumi.<env>.yaml: the source file (a preset or another environment) with the
 * choices written in, its comments kept, and nothing of the source's secrets provider.
 */
export function renderStackFile(choices: ScaffoldChoices): RenderedStackFile {
  const document = parseDocument(readFileSync(choices.source.path, "utf8"));
  const config = document.get("config");
  if (!isMap(config)) throw new Error(`${choices.source.label} has no config section to start from.`);
  for (const key of SECRETS_PROVIDER_KEYS) document.delete(key);
  const notes: string[] = [];

  setConfig(config, KEY("environment"), choices.tier);
  setConfig(config, KEY("namePrefix"), choices.namePrefix, KEY("environment"));
  if (choices.projectId) setConfig(config, KEY("projectId"), choices.projectId, KEY("namePrefix"));
  else config.delete(KEY("projectId"));
  setConfig(config, KEY("region"), choices.region, KEY("namePrefix"));
  setConfig(config, KEY("owner"), choices.owner, KEY("region"));
  setConfig(config, KEY("costCenter"), choices.costCenter, KEY("owner"));

  for (const key of dropEncryptedValues(config)) {
    notes.push(
      `${key} was encrypted with ${basename(choices.source.path)}'s passphrase and was left out: ` +
        `set it again with \`pulumi config set --secret ${key} --stack ${choices.environment}\` in the project folder.`,
    );
  }
  if (choices.source.environment !== choices.environment) {
    for (const path of valuesMentioning(document, choices.source.environment)) {
      notes.push(
        `${path} was copied from ${choices.source.label} and mentions "${choices.source.environment}": check it.`,
      );
    }
  }
  setHeader(document, config, choices);
  return { text: document.toString({ lineWidth: 0 }), notes };
}

/** Sets a key, placing a new one after `after` so that the file reads in a natural order. */
function setConfig(config: YAMLMap, key: string, value: string, after?: string): void {
  if (config.has(key)) {
    config.set(key, value);
    return;
  }
  config.set(key, value);
  if (!after) return;
  const items = config.items;
  const added = items.pop()!;
  const at = items.findIndex((pair) => isScalar(pair.key) && pair.key.value === after);
  items.splice(at < 0 ? items.length : at + 1, 0, added);
}

/** Removes `secure:` values (ciphertexts of another passphrase); returns their keys. */
function dropEncryptedValues(config: YAMLMap): string[] {
  const dropped: string[] = [];
  for (const pair of [...config.items]) {
    if (isMap(pair.value) && pair.value.has("secure") && isScalar(pair.key)) {
      dropped.push(String(pair.key.value));
      config.delete(pair.key);
    }
  }
  return dropped;
}

/** Dotted paths of string values under `config` that contain `word` (an environment name). */
function valuesMentioning(document: Document, word: string): string[] {
  const pattern = new RegExp(`(^|[^a-z0-9])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^a-z0-9]|$)`);
  const found: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === "string" && pattern.test(value)) found.push(path);
    else if (value && typeof value === "object")
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
  };
  const config = (document.toJS() as { config?: Record<string, unknown> }).config ?? {};
  for (const [key, value] of Object.entries(config)) if (!SET_BY_INIT.has(key)) walk(value, key);
  return found;
}

function setHeader(document: Document, config: YAMLMap, choices: ScaffoldChoices): void {
  const topKey = (document.contents as YAMLMap).items[0]?.key as { commentBefore?: string | null } | undefined;
  const sourceComment = (topKey?.commentBefore ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const header = [
    `${choices.environment}: the ${choices.tier} tier, scaffolded by \`sovstack init\` from ${choices.source.label}.`,
    ...(sourceComment.length > 0 ? [`${basename(choices.source.path)} said:`, ...sourceComment] : []),
  ];
  if (topKey) topKey.commentBefore = header.map((line) => ` ${line}`).join("\n");
  else config.commentBefore = header.join("\n");
}
