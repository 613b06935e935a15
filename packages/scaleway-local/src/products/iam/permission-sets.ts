import { createHash } from "node:crypto";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";

export type ScopeType = "projects" | "organization";

export interface PermissionSet {
  readonly id: string;
  readonly name: string;
  readonly scope_type: ScopeType;
  readonly description: string;
  readonly categories: readonly string[];
}

/**
 * The permission sets a rule may name, as Scaleway publishes them (a subset: the products
 * the local Scaleway serves, and the ones the recordings and sovstack use). A rule naming
 * any other set is refused, as the real API does.
 */
const CATALOGUE: ReadonlyArray<readonly [name: string, scope: ScopeType, category: string, description: string]> = [
  ["IAMManager", "organization", "IAM", "Full access to IAM: users, groups, applications, policies and API keys"],
  ["IAMReadOnly", "organization", "IAM", "Read access to users, groups, applications, policies and API keys"],
  ["IAMApplicationManager", "organization", "IAM", "Full access to applications and their API keys"],
  ["IAMApplicationReadOnly", "organization", "IAM", "Read access to applications and their API keys"],
  ["IAMUserManager", "organization", "IAM", "Full access to users and their API keys"],
  ["IAMUserReadOnly", "organization", "IAM", "Read access to users and their API keys"],
  ["IAMGroupManager", "organization", "IAM", "Full access to groups"],
  ["IAMGroupReadOnly", "organization", "IAM", "Read access to groups"],
  ["IAMPolicyManager", "organization", "IAM", "Full access to policies"],
  ["IAMPolicyReadOnly", "organization", "IAM", "Read access to policies"],
  ["ProjectManager", "organization", "Organization", "Create, rename, list and delete projects"],
  ["ProjectReadOnly", "organization", "Organization", "List and read projects"],
  ["OrganizationManager", "organization", "Organization", "Full access to the organisation's management"],
  ["OrganizationReadOnly", "organization", "Organization", "Read access to the organisation's management"],
  ["BillingManager", "organization", "Billing", "Full access to billing"],
  ["BillingReadOnly", "organization", "Billing", "Read access to billing"],
  ["SupportTicketManager", "organization", "Support", "Full access to support tickets"],
  ["SupportTicketReadOnly", "organization", "Support", "Read access to support tickets"],
  ["AllProductsFullAccess", "projects", "All products", "Full access to the resources of every product"],
  ["AllProductsReadOnly", "projects", "All products", "Read access to the resources of every product"],
  ["ObjectStorageFullAccess", "projects", "Storage", "Full access to buckets and objects"],
  ["ObjectStorageReadOnly", "projects", "Storage", "List and read buckets and objects"],
  ["ObjectStorageBucketsRead", "projects", "Storage", "List buckets and read their settings"],
  ["ObjectStorageBucketsWrite", "projects", "Storage", "Create buckets and change their settings"],
  ["ObjectStorageBucketsDelete", "projects", "Storage", "Delete buckets"],
  ["ObjectStorageObjectsRead", "projects", "Storage", "List and read objects"],
  ["ObjectStorageObjectsWrite", "projects", "Storage", "Write objects"],
  ["ObjectStorageObjectsDelete", "projects", "Storage", "Delete objects"],
  ["ObjectStorageBucketPolicyRead", "projects", "Storage", "Read bucket policies"],
  ["ObjectStorageBucketPolicyWrite", "projects", "Storage", "Write bucket policies"],
  ["BlockStorageFullAccess", "projects", "Storage", "Full access to block volumes and snapshots"],
  ["BlockStorageReadOnly", "projects", "Storage", "Read access to block volumes and snapshots"],
  ["SecretManagerFullAccess", "projects", "Security & Identity", "Full access to secrets and their versions"],
  ["SecretManagerReadOnly", "projects", "Security & Identity", "List and read secrets, without their data"],
  ["SecretManagerSecretAccess", "projects", "Security & Identity", "Read the data of secret versions"],
  ["SecretManagerSecretCreate", "projects", "Security & Identity", "Create secrets and versions"],
  ["KeyManagerFullAccess", "projects", "Security & Identity", "Full access to keys"],
  ["KeyManagerReadOnly", "projects", "Security & Identity", "Read access to keys"],
  ["ContainersFullAccess", "projects", "Serverless", "Full access to serverless containers"],
  ["ContainersReadOnly", "projects", "Serverless", "Read access to serverless containers"],
  ["ContainersPrivateAccess", "projects", "Serverless", "Call private serverless containers"],
  ["FunctionsFullAccess", "projects", "Serverless", "Full access to serverless functions"],
  ["FunctionsReadOnly", "projects", "Serverless", "Read access to serverless functions"],
  ["FunctionsPrivateAccess", "projects", "Serverless", "Call private serverless functions"],
  ["ServerlessJobsFullAccess", "projects", "Serverless", "Full access to serverless jobs"],
  ["ServerlessJobsReadOnly", "projects", "Serverless", "Read access to serverless jobs"],
  ["ServerlessSQLDatabaseFullAccess", "projects", "Databases", "Full access to serverless SQL databases"],
  ["ServerlessSQLDatabaseReadOnly", "projects", "Databases", "Read access to serverless SQL databases"],
  ["ContainerRegistryFullAccess", "projects", "Containers", "Full access to registry namespaces and images"],
  ["ContainerRegistryReadOnly", "projects", "Containers", "Pull images and read registry namespaces"],
  ["KubernetesFullAccess", "projects", "Containers", "Full access to Kubernetes clusters"],
  ["KubernetesReadOnly", "projects", "Containers", "Read access to Kubernetes clusters"],
  ["RelationalDatabasesFullAccess", "projects", "Databases", "Full access to managed databases"],
  ["RelationalDatabasesReadOnly", "projects", "Databases", "Read access to managed databases"],
  ["InstancesFullAccess", "projects", "Compute", "Full access to instances"],
  ["InstancesReadOnly", "projects", "Compute", "Read access to instances"],
  ["VPCFullAccess", "projects", "Network", "Full access to VPCs, private networks and routes"],
  ["VPCReadOnly", "projects", "Network", "Read access to VPCs, private networks and routes"],
  ["PrivateNetworksFullAccess", "projects", "Network", "Full access to private networks"],
  ["PrivateNetworksReadOnly", "projects", "Network", "Read access to private networks"],
  ["IPAMFullAccess", "projects", "Network", "Full access to IP addresses"],
  ["IPAMReadOnly", "projects", "Network", "Read access to IP addresses"],
  ["PublicGatewaysFullAccess", "projects", "Network", "Full access to public gateways"],
  ["PublicGatewaysReadOnly", "projects", "Network", "Read access to public gateways"],
  ["LoadBalancersFullAccess", "projects", "Network", "Full access to load balancers"],
  ["LoadBalancersReadOnly", "projects", "Network", "Read access to load balancers"],
  ["DomainsDNSFullAccess", "projects", "Network", "Full access to domains and DNS zones"],
  ["DomainsDNSReadOnly", "projects", "Network", "Read access to domains and DNS zones"],
  ["ObservabilityFullAccess", "projects", "Monitoring", "Full access to Cockpit"],
  ["ObservabilityReadOnly", "projects", "Monitoring", "Read access to Cockpit"],
  ["AuditTrailReadOnly", "projects", "Monitoring", "Read audit trail events"],
  ["MessagingAndQueuingFullAccess", "projects", "Messaging", "Full access to NATS, SQS and SNS"],
  ["MessagingAndQueuingReadOnly", "projects", "Messaging", "Read access to NATS, SQS and SNS"],
  ["TransactionalEmailFullAccess", "projects", "Messaging", "Full access to transactional email"],
  ["TransactionalEmailReadOnly", "projects", "Messaging", "Read access to transactional email"],
];

export const PERMISSION_SETS: ReadonlyMap<string, PermissionSet> = new Map(
  CATALOGUE.map(([name, scope_type, category, description]) => [
    name,
    { id: stableId(name), name, scope_type, description, categories: [category] },
  ]),
);

/** A fixed UUID per name, so that IDs stay the same across restarts and machines. */
function stableId(name: string): string {
  const hex = createHash("sha256").update(`permission-set:${name}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function permissionSetRoutes(routes: ProductRoutes) {
  routes.get("/iam/v1alpha1/permission-sets", "ListPermissionSets", ({ query }) => {
    const sets = [...PERMISSION_SETS.values()].map((set) => ({ ...set, categories: [...set.categories] }));
    return { body: paginate(orderBy(sets, query.order_by, "created_at_asc"), query, "permission_sets") };
  });
}
