/**
 * Type tokens of the Scaleway resources the policies look at, as @pulumiverse/scaleway
 * 1.54.0 registers them: the module token first, then the older flat `scaleway:index/…`
 * token of the same resource (still a class of its own in the SDK), which takes the same
 * inputs.
 */
export const types = {
  databaseInstance: ["scaleway:databases/instance:Instance", "scaleway:index/databaseInstance:DatabaseInstance"],
  databaseReadReplica: [
    "scaleway:databases/readReplica:ReadReplica",
    "scaleway:index/databaseReadReplica:DatabaseReadReplica",
  ],
  bucket: ["scaleway:object/bucket:Bucket", "scaleway:index/objectBucket:ObjectBucket"],
  bucketAcl: ["scaleway:object/bucketAcl:BucketAcl", "scaleway:index/objectBucketAcl:ObjectBucketAcl"],
  bucketPolicy: ["scaleway:object/bucketPolicy:BucketPolicy", "scaleway:index/objectBucketPolicy:ObjectBucketPolicy"],
  // No flat token exists for this one.
  bucketEncryption: ["scaleway:object/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"],
  iamPolicy: ["scaleway:iam/policy:Policy", "scaleway:index/iamPolicy:IamPolicy"],
  iamApiKey: ["scaleway:iam/apiKey:ApiKey", "scaleway:index/iamApiKey:IamApiKey"],
  container: ["scaleway:containers/container:Container", "scaleway:index/container:Container"],
  containerNamespace: [
    "scaleway:containers/namespace:Namespace",
    "scaleway:index/containerNamespace:ContainerNamespace",
  ],
  function: ["scaleway:functions/function:Function", "scaleway:index/function:Function"],
  functionNamespace: ["scaleway:functions/namespace:Namespace", "scaleway:index/functionNamespace:FunctionNamespace"],
  jobDefinition: ["scaleway:job/definition:Definition", "scaleway:index/jobDefinition:JobDefinition"],
  privateNetwork: [
    "scaleway:network/privateNetwork:PrivateNetwork",
    "scaleway:index/vpcPrivateNetwork:VpcPrivateNetwork",
  ],
  alertManager: [
    "scaleway:observability/alertManager:AlertManager",
    "scaleway:index/cockpitAlertManager:CockpitAlertManager",
  ],
} as const satisfies Record<string, readonly string[]>;

export type TypeGroup = keyof typeof types;

export function isOfType(type: string, ...groups: readonly TypeGroup[]): boolean {
  return groups.some((group) => (types[group] as readonly string[]).includes(type));
}
