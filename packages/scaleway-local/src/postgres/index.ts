export { ClusterManager, newPassword, type ClusterManagerOptions, type NewServer, type ServerSecrets } from "./manager";
export { PostgresCluster, type ClusterState } from "./cluster";
export { issueServerCertificate, type ServerCertificate } from "./tls";
export * as sql from "./sql";
export type { Permission, Grant } from "./sql";
export { SUPERUSER } from "./template";
export { freePort } from "./ports";
