/**
 * Scaleway's prices for what sovstack deploys, kept in the repository with the date they
 * were read. Infracost has no Scaleway support, and Scaleway's public product catalog API
 * does not cover serverless containers, managed databases, Cockpit or Secret Manager, so
 * the figures live here, each with the page it comes from.
 *
 * Currency EUR, VAT excluded, region fr-par (Scaleway bills the same price in every
 * region for most products; where a figure was only seen for nl-ams, its note says so).
 * A month is 730 hours, as on Scaleway's pricing pages.
 *
 * How the figures were read: the pages below were read from stored copies of Scaleway's
 * documentation (the docs' own validation dates run from 2024-12 to 2025-11). Figures the
 * docs do not give (database nodes, block storage, Secret Manager) come from third-party
 * transcriptions of Scaleway's pricing page and public product catalog made in 2026-09;
 * their notes say so. Refresh every figure against the source page before relying on it.
 */

/** A price in euros, excluding VAT, per `unit`. */
export interface Price {
  readonly eur: number;
  readonly unit: string;
  /** The page the figure comes from. */
  readonly source: string;
  /** How the figure was obtained, and anything uncertain about it. */
  readonly note?: string;
}

/** A free allowance: `amount` of `unit` not billed each month. */
export interface Allowance {
  readonly amount: number;
  readonly unit: string;
  readonly source: string;
  readonly note?: string;
}

/** A Managed Database node type: the primary node (management included) and each further node. */
export interface NodeTypePrice {
  /** A standalone instance: node and database management, per hour. */
  readonly node: Price;
  /** Each further node of the same type: the HA standby, or a read replica, per hour. */
  readonly extraNode: Price;
}

const CONTAINERS_FAQ = "https://www.scaleway.com/en/docs/serverless-containers/faq/";
const JOBS_FAQ = "https://www.scaleway.com/en/docs/serverless-jobs/faq/";
const DATABASES_PRICING = "https://www.scaleway.com/en/pricing/managed-databases/";
const OBJECT_STORAGE_FAQ = "https://www.scaleway.com/en/docs/object-storage/faq/";
const SECRET_MANAGER_FAQ = "https://www.scaleway.com/en/docs/secret-manager/faq/";
const COCKPIT_PRICING = "https://www.scaleway.com/en/docs/cockpit/reference-content/cockpit-pricing/";
const VPC_FAQ = "https://www.scaleway.com/en/docs/vpc/faq/";
const IAM_FAQ = "https://www.scaleway.com/en/docs/iam/faq/";

const perHour = (eur: number, source: string, note?: string): Price => ({ eur, unit: "hour", source, note });

const FR_PAR_PAGE =
  "fr-par figure of the pricing page, as transcribed on 2026-09-30 by a third party (not read on the page itself)";
const CATALOG_SKUS =
  "node + database management SKUs of Scaleway's public product catalog (nl-ams), as transcribed in 2026-09 by a third party; " +
  "the same SKUs add up to the fr-par page's figures for DB-PLAY2-PICO and DB-PRO2-XXS";

export const priceTable = {
  /** The day this table was compiled from its sources. */
  priceDate: "2026-11-22",
  currency: "EUR",
  vat: "excluded",
  region: "fr-par",
  hoursPerMonth: 730,

  serverlessContainers: {
    vcpuSecond: { eur: 0.00001, unit: "vCPU-second", source: CONTAINERS_FAQ, note: "€1.00 per 100 000 vCPU-s" },
    gbSecond: { eur: 0.000001, unit: "GB-second of memory", source: CONTAINERS_FAQ, note: "€0.10 per 100 000 GB-s" },
    requestMillion: {
      eur: 0,
      unit: "million requests",
      source: CONTAINERS_FAQ,
      note: "billed strictly on vCPU and memory; requests, ingress and egress are not billed",
    },
    freeVcpuSeconds: { amount: 200_000, unit: "vCPU-seconds per account per month", source: CONTAINERS_FAQ },
    freeGbSeconds: { amount: 400_000, unit: "GB-seconds per account per month", source: CONTAINERS_FAQ },
  },

  serverlessJobs: {
    vcpuSecond: { eur: 0.00001, unit: "vCPU-second", source: JOBS_FAQ, note: "the FAQ's worked example" },
    gbSecond: { eur: 0.000001, unit: "GB-second of memory", source: JOBS_FAQ, note: "the FAQ's worked example" },
    freeVcpuSeconds: { amount: 200_000, unit: "vCPU-seconds per account per month", source: JOBS_FAQ },
    freeGbSeconds: { amount: 400_000, unit: "GB-seconds per account per month", source: JOBS_FAQ },
  },

  managedPostgres: {
    /** Node types of the catalogue with a figure; databaseLimits.nodeTypes lists every allowed one. */
    nodeTypes: {
      "DB-DEV-S": {
        node: perHour(0.0156, DATABASES_PRICING, FR_PAR_PAGE),
        extraNode: perHour(
          0.0156,
          DATABASES_PRICING,
          "no figure found for a further DB-DEV-S node: the standalone price is used, an upper bound",
        ),
      },
      "DB-PLAY2-PICO": {
        node: perHour(0.0233, DATABASES_PRICING, FR_PAR_PAGE),
        extraNode: perHour(0.0203, DATABASES_PRICING, CATALOG_SKUS),
      },
      "DB-PLAY2-NANO": {
        node: perHour(0.0432, DATABASES_PRICING, FR_PAR_PAGE),
        extraNode: perHour(0.0376, DATABASES_PRICING, `${FR_PAR_PAGE}: "additional node / replica"`),
      },
      "DB-PRO2-XXS": {
        node: perHour(0.11, DATABASES_PRICING, FR_PAR_PAGE),
        extraNode: perHour(0.0583, DATABASES_PRICING, CATALOG_SKUS),
      },
      "DB-PRO2-XS": {
        node: perHour(
          0.22,
          DATABASES_PRICING,
          `${CATALOG_SKUS}: 0.1166 + 0.1034; another third-party table gives €158.40 a month (0.217/h)`,
        ),
        extraNode: perHour(0.1166, DATABASES_PRICING, CATALOG_SKUS),
      },
      "DB-POP2-2C-8G": {
        node: perHour(0.1434, DATABASES_PRICING, `${CATALOG_SKUS}: 0.076 + 0.0674`),
        extraNode: perHour(0.076, DATABASES_PRICING, CATALOG_SKUS),
      },
      "DB-POP2-4C-16G": {
        node: perHour(0.2866, DATABASES_PRICING, `${CATALOG_SKUS}: 0.1519 + 0.1347`),
        extraNode: perHour(0.1519, DATABASES_PRICING, CATALOG_SKUS),
      },
      "DB-POP2-8C-32G": {
        node: perHour(0.5684, DATABASES_PRICING, `${CATALOG_SKUS}: 0.3069 + 0.2615`),
        extraNode: perHour(0.3069, DATABASES_PRICING, CATALOG_SKUS),
      },
    } satisfies Record<string, NodeTypePrice>,
    /**
     * Allowed node types with no figure in the sources read: a database on one of them is
     * reported as not priced rather than given an invented price.
     */
    unpricedNodeTypes: [
      "DB-DEV-M",
      "DB-DEV-L",
      "DB-DEV-XL",
      "DB-PRO2-S",
      "DB-PRO2-M",
      "DB-PRO2-L",
      "DB-POP2-16C-64G",
      "DB-POP2-32C-128G",
      "DB-POP2-HM-2C-16G",
      "DB-POP2-HM-4C-32G",
      "DB-POP2-HM-8C-64G",
      "DB-POP2-HC-2C-4G",
      "DB-POP2-HC-4C-8G",
    ],
    /** Block Storage volumes of the nodes, per GB-month of allocated size. */
    volumeGbMonth: {
      sbs_5k: {
        eur: 0.0993,
        unit: "GB-month",
        source: DATABASES_PRICING,
        note: `${FR_PAR_PAGE}; the catalog's €0.000136/GB/h agrees`,
      },
      sbs_15k: {
        eur: 0.1489,
        unit: "GB-month",
        source: DATABASES_PRICING,
        note: "third-party transcription of the pricing page; the catalog's €0.000204/GB/h agrees",
      },
      lssd: {
        eur: 0,
        unit: "GB-month",
        source: DATABASES_PRICING,
        note: "local SSD of first-generation nodes is part of the node price; no separate figure found",
      },
    } satisfies Record<string, Price>,
    backupGbMonth: {
      eur: 0.03,
      unit: "GB-month of backups and snapshots",
      source: DATABASES_PRICING,
      note: `${FR_PAR_PAGE}; the snapshot docs give the same €0.03/GB/month`,
    },
  },

  objectStorage: {
    standardGbMonth: {
      eur: 0.0146,
      unit: "GB-month, Standard (Multi-AZ) class",
      source: OBJECT_STORAGE_FAQ,
      note: "€0.00002/GB/hour; a 2026-09 transcription of the nl-ams catalog shows €0.000022/GB/hour",
    },
    requestMillion: { eur: 0, unit: "million requests", source: OBJECT_STORAGE_FAQ, note: "requests are included" },
    egressGb: {
      eur: 0.01,
      unit: "GB out to the internet or another region",
      source: OBJECT_STORAGE_FAQ,
      note: "intra-region transfer is free",
    },
    freeEgressGb: { amount: 75, unit: "GB of egress per account per month", source: OBJECT_STORAGE_FAQ },
  },

  secretManager: {
    versionHour: {
      eur: 0.00006,
      unit: "secret version-hour",
      source: SECRET_MANAGER_FAQ,
      note:
        "the FAQ bills versions stored (enabled or disabled) and API requests but gives no figure; this one is the " +
        "public product catalog's, as transcribed in 2026-09 by a third party (≈ €0.044 per version-month)",
    },
    request: {
      eur: 0.000003,
      unit: "API request",
      source: SECRET_MANAGER_FAQ,
      note: "product catalog figure, same transcription (€0.03 per 10 000 requests)",
    },
  },

  cockpit: {
    customMetricsMillionSamples: {
      eur: 0.15,
      unit: "million custom metric samples ingested",
      source: COCKPIT_PRICING,
      note: "first volume level (up to 10 billion samples a month)",
    },
    customLogsGb: { eur: 0.35, unit: "GB of custom logs ingested", source: COCKPIT_PRICING },
    metricsRetention: {
      eur: 0.0002,
      unit: "10 million samples stored per day beyond the free retention",
      source: COCKPIT_PRICING,
    },
    logsRetention: { eur: 0.002, unit: "GB stored per day beyond the free retention", source: COCKPIT_PRICING },
    freeMetricsRetentionDays: { amount: 31, unit: "days of metrics retention", source: COCKPIT_PRICING },
    freeLogsRetentionDays: { amount: 7, unit: "days of logs retention", source: COCKPIT_PRICING },
  },

  /** Resources that cost nothing by themselves, with the page that says so. */
  free: {
    network: { eur: 0, unit: "resource", source: VPC_FAQ, note: "VPCs, Private Networks and IPAM IPs are free" },
    iam: { eur: 0, unit: "resource", source: IAM_FAQ, note: "IAM is free" },
    containerNamespace: {
      eur: 0,
      unit: "resource",
      source: CONTAINERS_FAQ,
      note: "only containers' vCPU and memory are billed",
    },
    databaseObject: {
      eur: 0,
      unit: "resource",
      source: DATABASES_PRICING,
      note: "databases, users and privileges are part of the instance",
    },
    bucketSetting: {
      eur: 0,
      unit: "resource",
      source: OBJECT_STORAGE_FAQ,
      note: "ACLs, policies and encryption settings are part of the bucket",
    },
    secret: {
      eur: 0,
      unit: "resource",
      source: SECRET_MANAGER_FAQ,
      note: "a secret is billed through its versions and API requests",
    },
    cockpitSetting: {
      eur: 0,
      unit: "resource",
      source: COCKPIT_PRICING,
      note: "tokens, alert manager and contact points carry no charge on the pricing page",
    },
  },
} as const;

export type PriceTable = typeof priceTable;

/** The price of a node type, or undefined when the table has none (case-insensitive, as the API answers). */
export function nodeTypePrice(nodeType: string): NodeTypePrice | undefined {
  const types: Record<string, NodeTypePrice> = priceTable.managedPostgres.nodeTypes;
  return types[nodeType.toUpperCase()];
}
