import type { Product } from "../context";
import { account } from "./account";
import { cockpit } from "./cockpit";
import { containers } from "./containers";
import { iam } from "./iam";
import { jobs } from "./jobs";
import { object } from "./object";
import { rdb } from "./rdb";
import { secret } from "./secret";
import { vpc } from "./vpc";

/** Every product the local Scaleway serves, in registration order. */
export const products: readonly Product[] = [account, iam, vpc, secret, containers, jobs, rdb, cockpit, object];
