/**
 * Scaleway Cockpit's preconfigured alert rules that fit this stack, by rule ID. The IDs
 * are Scaleway's catalogue (GET /cockpit/v1/regions/{region}/alerts?is_preconfigured=true),
 * read from recorded API traffic of 2026-05. Pinning them keeps previews free of API calls.
 * The catalogue has no rule for Serverless Containers yet.
 */
export const preconfiguredAlertRules = {
  postgresql: {
    "615245e6-3882-4d99-8798-d17ca1c95645": "PostgreSQLHighCPULoad",
    "c8991f90-facb-436c-b4ab-6aa13822a451": "PostgreSQLHighStorageUsage",
    "6c6843af-1815-46df-9e52-6feafcf31fd7": "PostgresqlTooManyConnections",
  },
  cockpit: {
    "669f781a-adab-4e3c-984e-fb149f8b67a3": "CockpitIngestionIncrease",
    "8dba8eed-25eb-4860-ab33-7cb5ca662036": "CockpitIngestionDecrease",
  },
} as const;
