import type { UsageAssumptions } from "./assumptions";
import { cockpitSourceCost } from "./cockpitCost";
import type { CostLine } from "./costLine";
import { instanceCost, readReplicaCost } from "./databaseCost";
import { type Price, priceTable } from "./prices";
import type { CostedResource } from "./resources";
import { secretCost, secretVersionCost } from "./secretsCost";
import { containerCost, jobCost, serverlessFreeTier } from "./serverlessCost";
import { bucketCost, objectStorageFreeEgress } from "./storageCost";

/** A month of one set of resources, line by line. */
export interface Estimate {
  /** The environment (stack) estimated, when known. */
  readonly environment?: string;
  readonly priceDate: string;
  readonly currency: "EUR";
  readonly vat: "excluded";
  readonly assumptions: UsageAssumptions;
  readonly lines: readonly CostLine[];
  readonly totalEur: number;
  /** Resources the price table has no figure for: the total leaves them (or that part of them) out. */
  readonly unpriced: readonly string[];
}

type Pricer = (resource: CostedResource, assumptions: UsageAssumptions, all: readonly CostedResource[]) => CostLine;

const free = priceTable.free;

/** Resources that cost nothing by themselves, and the page that says so. */
const FREE_TYPES: Readonly<Record<string, { product: string; price: Price }>> = {
  "scaleway:network/vpc:Vpc": { product: "VPC", price: free.network },
  "scaleway:network/privateNetwork:PrivateNetwork": { product: "VPC", price: free.network },
  "scaleway:ipam/ip:Ip": { product: "VPC", price: free.network },
  "scaleway:iam/application:Application": { product: "IAM", price: free.iam },
  "scaleway:iam/apiKey:ApiKey": { product: "IAM", price: free.iam },
  "scaleway:iam/policy:Policy": { product: "IAM", price: free.iam },
  "scaleway:iam/group:Group": { product: "IAM", price: free.iam },
  "scaleway:iam/groupMembership:GroupMembership": { product: "IAM", price: free.iam },
  "scaleway:containers/namespace:Namespace": { product: "Serverless Containers", price: free.containerNamespace },
  "scaleway:databases/database:Database": { product: "Managed Database for PostgreSQL", price: free.databaseObject },
  "scaleway:databases/user:User": { product: "Managed Database for PostgreSQL", price: free.databaseObject },
  "scaleway:databases/privilege:Privilege": { product: "Managed Database for PostgreSQL", price: free.databaseObject },
  "scaleway:databases/acl:Acl": { product: "Managed Database for PostgreSQL", price: free.databaseObject },
  "scaleway:object/bucketAcl:BucketAcl": { product: "Object Storage", price: free.bucketSetting },
  "scaleway:object/bucketPolicy:BucketPolicy": { product: "Object Storage", price: free.bucketSetting },
  "scaleway:object/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
    product: "Object Storage",
    price: free.bucketSetting,
  },
  "scaleway:object/bucketLockConfiguration:BucketLockConfiguration": {
    product: "Object Storage",
    price: free.bucketSetting,
  },
  "scaleway:observability/token:Token": { product: "Cockpit", price: free.cockpitSetting },
  "scaleway:observability/alertManager:AlertManager": { product: "Cockpit", price: free.cockpitSetting },
  "scaleway:observability/contactPoint:ContactPoint": { product: "Cockpit", price: free.cockpitSetting },
};

const PRICED_TYPES: Readonly<Record<string, Pricer>> = {
  "scaleway:containers/container:Container": (resource, assumptions) => containerCost(resource, assumptions),
  "scaleway:job/definition:Definition": (resource, assumptions) => jobCost(resource, assumptions),
  "scaleway:databases/instance:Instance": (resource, assumptions) => instanceCost(resource, assumptions),
  "scaleway:databases/readReplica:ReadReplica": (resource, _assumptions, all) => readReplicaCost(resource, all),
  "scaleway:object/bucket:Bucket": (resource, assumptions) => bucketCost(resource, assumptions),
  "scaleway:secrets/secret:Secret": (resource, assumptions) => secretCost(resource, assumptions),
  "scaleway:secrets/version:Version": (resource) => secretVersionCost(resource),
  "scaleway:observability/source:Source": (resource, assumptions) => cockpitSourceCost(resource, assumptions),
};

function costOf(resource: CostedResource, assumptions: UsageAssumptions, all: readonly CostedResource[]): CostLine {
  const pricer = PRICED_TYPES[resource.type];
  if (pricer) return pricer(resource, assumptions, all);
  const freeType = FREE_TYPES[resource.type];
  if (freeType) {
    return {
      resource: resource.name,
      type: resource.type,
      product: freeType.product,
      drivers: `no charge: ${freeType.price.note ?? "free"}`,
      assumptions: [],
      monthlyEur: 0,
      priced: true,
    };
  }
  return {
    resource: resource.name,
    type: resource.type,
    product: resource.type.replace(/^scaleway:/, "").split("/")[0] ?? "scaleway",
    drivers: "this resource type is not in the price table",
    assumptions: [],
    monthlyEur: 0,
    priced: false,
  };
}

/**
 * The monthly cost of a list of resources. Only Scaleway resources are billed: component
 * resources, providers and the stack itself are left out.
 */
export function estimateResources(
  resources: readonly CostedResource[],
  assumptions: UsageAssumptions,
  environment?: string,
): Estimate {
  const billable = resources.filter((resource) => resource.type.startsWith("scaleway:"));
  const lines = billable.map((resource) => costOf(resource, assumptions, billable));
  if (assumptions.freeTiers >= 1) {
    const deductions = [
      serverlessFreeTier("Serverless Containers", lines),
      serverlessFreeTier("Serverless Jobs", lines),
      objectStorageFreeEgress(lines),
    ];
    lines.push(...deductions.filter((line): line is CostLine => line !== undefined));
  }
  return {
    environment,
    priceDate: priceTable.priceDate,
    currency: priceTable.currency,
    vat: priceTable.vat,
    assumptions,
    lines,
    totalEur: lines.reduce((total, line) => total + line.monthlyEur, 0),
    unpriced: lines.filter((line) => !line.priced).map((line) => line.resource),
  };
}
