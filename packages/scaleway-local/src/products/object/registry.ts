import { join } from "node:path";
import type { LocalContext } from "../../context";
import { ObjectService } from "./service";
import { ObjectState } from "./state";
import { DiskBlobStore, MemoryBlobStore } from "./storage";

const services = new WeakMap<LocalContext, ObjectService>();

/**
 * The Object Storage of a local Scaleway, made once per context: the proxy's handler and
 * the plain endpoint must share one state. Bytes go under `<dataDir>/objects/`, or stay
 * in memory without a data folder.
 */
export function serviceFor(context: LocalContext): ObjectService {
  let service = services.get(context);
  if (!service) {
    const blobs = context.dataDir ? new DiskBlobStore(join(context.dataDir, "objects")) : new MemoryBlobStore();
    service = new ObjectService(context, new ObjectState(context.store, blobs));
    services.set(context, service);
  }
  return service;
}
