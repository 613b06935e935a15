import { resourcePolicy } from "./definePolicy";
import { ENVIRONMENTS } from "./environment";
import { asArray, asString, isSet, isUnknown } from "./inputs";
import { types } from "./resourceTypes";

export const containersHttpsOnly = resourcePolicy({
  name: "containers-https-only",
  domain: "containers",
  description: "Serverless containers accept HTTPS only; plain HTTP is redirected.",
  appliesTo: types.container,
  validate: ({ resource, report }) => {
    const { httpsConnectionsOnly, httpOption } = resource.inputs;
    // httpOption "redirected" is the deprecated spelling of the same setting.
    if (httpsConnectionsOnly === true || isUnknown(httpsConnectionsOnly) || httpOption === "redirected") return;
    if (isUnknown(httpOption)) return;
    report("must accept HTTPS only: set httpsConnectionsOnly: true.");
  },
});

interface PrivacySettings {
  /** Services allowed an internet endpoint, by name. */
  readonly publicServices: readonly string[];
}

/**
 * Whether a container is one of the listed services: its name is the service's, or ends
 * with `-<environment>-<service>` (sovstack names containers `<prefix>-<environment>-<service>`).
 */
export function isListedService(containerName: string, services: readonly string[]): boolean {
  return services.some(
    (service) =>
      containerName === service ||
      ENVIRONMENTS.some((environment) => containerName.endsWith(`-${environment}-${service}`)),
  );
}

/** The service a container runs: `api` for sovstack's `evalplatform-dev-api`, else the whole name. */
export function serviceOf(containerName: string): string {
  for (const environment of ENVIRONMENTS) {
    const at = containerName.lastIndexOf(`-${environment}-`);
    if (at >= 0) return containerName.slice(at + environment.length + 2);
  }
  return containerName;
}

export const containersPrivateUnlessListed = resourcePolicy<PrivacySettings>({
  name: "containers-private-unless-listed",
  domain: "containers",
  description: "Serverless containers are private (callers need a token) unless listed in publicServices.",
  appliesTo: types.container,
  settings: {
    defaults: { publicServices: [] },
    schema: { publicServices: { type: "array", items: { type: "string", minLength: 1 } } },
  },
  validate: ({ resource, settings, report }) => {
    const privacy = resource.inputs.privacy;
    if (privacy === "private" || isUnknown(privacy)) return;
    const name = asString(resource.inputs.name) ?? resource.name;
    if (isListedService(name, settings.publicServices)) return;
    // Serverless Containers are public when privacy is not given.
    // The settings come from packConfig.ts, through the generated config/<env>.json the engine is given.
    report(
      `must be private: set privacy: "private", or, if it is meant to face the internet, add "${serviceOf(name)}" ` +
        "to publicServices in packages/policy/src/packConfig.ts, then run `npm run config -w @sovstack/policy` (a stack made by `sovstack init`: in its packages/policy/config/<stack>.json).",
    );
  },
});

export const containersResourceLimits = resourcePolicy({
  name: "containers-resource-limits",
  domain: "containers",
  description: "Serverless containers set their CPU and memory limits.",
  appliesTo: types.container,
  validate: ({ resource, report }) => {
    const { cpuLimit, memoryLimitBytes, memoryLimit } = resource.inputs;
    const missing = [
      ...(isSet(cpuLimit) ? [] : ["cpuLimit"]),
      ...(isSet(memoryLimitBytes) || isSet(memoryLimit) ? [] : ["memoryLimitBytes"]),
    ];
    if (missing.length > 0) {
      report(`must set its resource limits: set ${missing.join(" and ")}.`);
    }
  },
});

export const containersHealthCheck = resourcePolicy({
  name: "containers-health-check",
  domain: "containers",
  description: "Serverless containers have a health check, so that a broken instance is replaced.",
  appliesTo: types.container,
  validate: ({ resource, report }) => {
    const { livenessProbe, healthChecks } = resource.inputs;
    const checks = isUnknown(healthChecks) || (asArray(healthChecks)?.length ?? 0) > 0;
    if (!isSet(livenessProbe) && !checks) {
      report('must have a health check: set livenessProbe, e.g. { http: { path: "/health" }, interval: "10s" }.');
    }
  },
});

export const containersPolicies = [
  containersHttpsOnly,
  containersPrivateUnlessListed,
  containersResourceLimits,
  containersHealthCheck,
];
