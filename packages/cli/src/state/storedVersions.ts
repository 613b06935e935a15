import { checkpointKeyOf, versionKeys, versionStem } from "./history";
import type { StoredObject } from "./storage/storage";

/** One version of a stack's history as stored: its history file and checkpoint copy. */
export interface StoredVersion {
  /** The key that names it whatever its compression: `<prefix><stack>-<ns>`. */
  readonly stem: string;
  readonly historyKey: string;
  /** The copy of the state it left, when there is one. */
  readonly checkpoint?: StoredObject;
  /** Its objects, the checkpoint copy first. */
  readonly objects: readonly StoredObject[];
}

/**
 * A listing of the stack's history folder as versions, oldest first (the order `state
 * history` numbers them in), and the objects that belong to no version.
 */
export function storedVersions(objects: readonly StoredObject[]): {
  readonly versions: StoredVersion[];
  readonly others: StoredObject[];
} {
  const byKey = new Map(objects.map((object) => [object.key, object]));
  const versions = versionKeys(objects).map((historyKey): StoredVersion => {
    const checkpoint = byKey.get(checkpointKeyOf(historyKey));
    return {
      stem: versionStem(historyKey),
      historyKey,
      checkpoint,
      objects: [...(checkpoint ? [checkpoint] : []), byKey.get(historyKey)!],
    };
  });
  const inVersions = new Set(versions.flatMap((version) => version.objects.map((object) => object.key)));
  return { versions, others: objects.filter((object) => !inVersions.has(object.key)) };
}
