/** Scaleway products that send metrics or logs to Cockpit, as GET /regions/{region}/products lists them. */
export interface CockpitProduct {
  readonly name: string;
  readonly display_name: string;
  readonly family_name: string;
  readonly resource_types: readonly string[];
}

export const PRODUCTS: readonly CockpitProduct[] = [
  {
    name: "sbs",
    display_name: "Block Storage",
    family_name: "Storage",
    resource_types: ["sbs_volume", "sbs_snapshot"],
  },
  {
    name: "observability",
    display_name: "Cockpit",
    family_name: "Observability",
    resource_types: ["observability_cockpit", "observability_exporter"],
  },
  {
    name: "instance",
    display_name: "CPU & GPU Instances",
    family_name: "Compute",
    resource_types: ["instance_server", "vpc_pn"],
  },
  { name: "datalab", display_name: "Data Lab", family_name: "Data & Analytics", resource_types: ["spk_datalab"] },
  {
    name: "data-warehouse",
    display_name: "Data Warehouse",
    family_name: "Data & Analytics",
    resource_types: ["data_warehouse_clickhouse"],
  },
  {
    name: "edge-services",
    display_name: "Edge Services",
    family_name: "Network",
    resource_types: ["edge_content_delivery_service"],
  },
  { name: "generative-apis", display_name: "Generative APIs", family_name: "AI", resource_types: ["generative_apis"] },
  { name: "hpc", display_name: "GPU Clusters", family_name: "High Performance Compute", resource_types: ["hpc"] },
  {
    name: "interlink",
    display_name: "Interlink",
    family_name: "Network",
    resource_types: ["interlink", "interlink_dedicated_connection"],
  },
  {
    name: "iot",
    display_name: "IoT Hub",
    family_name: "Integration Services",
    resource_types: ["iot_hub", "iot_device"],
  },
  { name: "kubernetes", display_name: "Kubernetes", family_name: "Containers", resource_types: ["kubernetes_cluster"] },
  { name: "lb", display_name: "Load Balancer", family_name: "Network", resource_types: ["load_balancer"] },
  {
    name: "inference",
    display_name: "Managed Inference",
    family_name: "AI",
    resource_types: ["inference_deployment", "llm_inference_deployment"],
  },
  {
    name: "mnq",
    display_name: "Messaging and Queuing",
    family_name: "Integration Services",
    resource_types: ["mnq_namespace", "mnq_nats", "mnq_sqs", "mnq_sns"],
  },
  { name: "mongodb", display_name: "MongoDB", family_name: "Databases", resource_types: ["mgdb_instance"] },
  {
    name: "object-storage",
    display_name: "Object Storage",
    family_name: "Storage",
    resource_types: ["object_storage_bucket"],
  },
  {
    name: "rdb",
    display_name: "PostgreSQL & MySQL",
    family_name: "Databases",
    resource_types: ["rdb_instance_postgresql", "rdb_instance_mysql"],
  },
  {
    name: "public-gateway",
    display_name: "Public Gateway",
    family_name: "Network",
    resource_types: ["public_gateway"],
  },
  { name: "rkv", display_name: "Redis", family_name: "Databases", resource_types: ["rkv_cluster"] },
  {
    name: "secret-manager",
    display_name: "Secret Manager",
    family_name: "Security & Identity",
    resource_types: ["secret_manager_secret", "secret_manager_method"],
  },
  {
    name: "serverless",
    display_name: "Serverless Functions and Containers",
    family_name: "Serverless Compute",
    resource_types: [
      "serverless_function",
      "serverless_function_build",
      "serverless_container",
      "serverless_container_trigger",
    ],
  },
  {
    name: "serverless-jobs",
    display_name: "Serverless Jobs",
    family_name: "Serverless Compute",
    resource_types: ["serverless_job"],
  },
  {
    name: "serverless-db",
    display_name: "Serverless SQL",
    family_name: "Databases",
    resource_types: ["serverless_db_postgresql"],
  },
  { name: "svpn", display_name: "Site-to-Site VPN", family_name: "Network", resource_types: ["svpn_gateway"] },
  {
    name: "transactional-email",
    display_name: "Transactional Emails",
    family_name: "Domains & Web Hosting",
    resource_types: ["tem"],
  },
  { name: "vpc", display_name: "VPC", family_name: "Network", resource_types: ["vpc_pn"] },
];
