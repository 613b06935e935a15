import type { Collection, Store, StoredRecord } from "../../state/store";

/** What VPC and IPAM keep, one store collection per kind. */
export interface VpcRecord extends StoredRecord {
  name: string;
  organization_id: string;
  project_id: string;
  region: string;
  tags: string[];
  is_default: boolean;
  routing_enabled: boolean;
  custom_routes_propagation_enabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface SubnetRecord {
  id: string;
  subnet: string;
  created_at: string;
  updated_at: string;
}

export interface PrivateNetworkRecord extends StoredRecord {
  name: string;
  organization_id: string;
  project_id: string;
  region: string;
  tags: string[];
  vpc_id: string;
  subnets: SubnetRecord[];
  dhcp_enabled: boolean;
  default_route_propagation_enabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface RouteRecord extends StoredRecord {
  description: string;
  tags: string[];
  vpc_id: string;
  destination: string;
  nexthop_resource_id: string | null;
  nexthop_private_network_id: string | null;
  nexthop_vpc_connector_id: string | null;
  region: string;
  created_at: string;
  updated_at: string;
}

export interface ConnectorRecord extends StoredRecord {
  name: string;
  organization_id: string;
  project_id: string;
  region: string;
  tags: string[];
  vpc_id: string;
  target_vpc_id: string;
  created_at: string;
  updated_at: string;
}

export interface AclRule {
  protocol: string;
  source: string;
  src_port_low: number;
  src_port_high: number;
  destination: string;
  dst_port_low: number;
  dst_port_high: number;
  action: string;
  description: string;
}

/** The ACL of one VPC for one IP family, keyed `<vpc id>/<4|6>`. */
export interface AclRecord extends StoredRecord {
  default_policy: string;
  rules: AclRule[];
}

export interface IpResource {
  type: string;
  id: string;
  mac_address: string | null;
  name: string | null;
}

export interface IpRecord extends StoredRecord {
  address: string;
  project_id: string;
  is_ipv6: boolean;
  region: string;
  subnet_id: string;
  private_network_id: string;
  vpc_id: string;
  resource: IpResource | null;
  tags: string[];
  reverses: Array<{ hostname: string; address: string }>;
  created_at: string;
  updated_at: string;
}

export class VpcState {
  readonly vpcs: Collection<VpcRecord>;
  readonly privateNetworks: Collection<PrivateNetworkRecord>;
  readonly routes: Collection<RouteRecord>;
  readonly connectors: Collection<ConnectorRecord>;
  readonly acls: Collection<AclRecord>;
  readonly ips: Collection<IpRecord>;

  constructor(
    store: Store,
    readonly organizationId: string,
    readonly defaultProjectId: string,
  ) {
    this.vpcs = store.collection("vpc.vpcs");
    this.privateNetworks = store.collection("vpc.privateNetworks");
    this.routes = store.collection("vpc.routes");
    this.connectors = store.collection("vpc.connectors");
    this.acls = store.collection("vpc.acls");
    this.ips = store.collection("vpc.ipamIps");
  }
}
