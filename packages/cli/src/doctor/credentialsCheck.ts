import { REGIONS } from "@sovstack/components";
import { fail, ok, warn, type CheckResult } from "./check";
import { VARIABLES, type ScalewayCredentials } from "./scalewayCredentials";

const ACCESS_KEY = /^SCW[A-Z0-9]{17}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NEW_KEY = "create an API key in the Scaleway console (IAM > API keys) and export";

/**
 * The shape of each credential, without calling Scaleway. A value that is wrong is
 * described by its length and first characters, never shown: it may be a secret
 * pasted into the wrong variable.
 */
export function checkCredentialFormat(credentials: ScalewayCredentials, stackProjectId?: string): CheckResult {
  const problems: Array<{ text: string; fix: string }> = [];
  const { accessKey, secretKey, projectId, region } = credentials;
  const where = (key: keyof typeof VARIABLES) => credentials.sources[key] ?? VARIABLES[key];

  const unset = [!accessKey && VARIABLES.accessKey, !secretKey && VARIABLES.secretKey].filter(Boolean).join(" and ");
  if (unset) problems.push({ text: `${unset} not set`, fix: `${NEW_KEY} ${unset}` });
  if (accessKey && !ACCESS_KEY.test(accessKey))
    problems.push({
      text: `${where("accessKey")} (${describe(accessKey)}) is not an access key: SCW followed by 17 uppercase letters or digits`,
      fix: `export ${VARIABLES.accessKey} with the access key (SCWXXXXXXXXXXXXXXXXX) of your API key, not its secret`,
    });
  if (secretKey && !UUID.test(secretKey.toLowerCase()))
    problems.push({
      text: `${where("secretKey")} (${describe(secretKey)}) is not a secret key: a UUID`,
      fix: `export ${VARIABLES.secretKey} with the secret key of the same API key (shown once, when it was created)`,
    });
  if (!projectId && !stackProjectId)
    problems.push({
      text: `${VARIABLES.projectId} is not set, nor the stack's projectId`,
      fix: `export ${VARIABLES.projectId} (\`scw account project list\` or the console's project settings)`,
    });
  else if (projectId && !UUID.test(projectId))
    problems.push({
      text: `${where("projectId")} (${describe(projectId)}) is not a project ID: a lowercase UUID`,
      fix: `export ${VARIABLES.projectId} with the ID from the console's project settings`,
    });
  if (region && !(REGIONS as readonly string[]).includes(region))
    problems.push({
      text: `${where("region")} is "${region}", not one of ${REGIONS.join(", ")}`,
      fix: `export ${VARIABLES.region}=fr-par (or nl-ams, pl-waw)`,
    });

  if (problems.length > 0) {
    return fail("credentials", problems.map((p) => p.text).join("; "), problems.map((p) => p.fix).join("; "));
  }
  const summary =
    `access key ${accessKey!.slice(0, 6)}…, secret key set, project ${projectId ?? `${stackProjectId} (from the stack)`}` +
    `${region ? `, region ${region}` : ""}; from ${[...new Set(Object.values(credentials.sources).filter(Boolean))].join(", ")}`;
  if (!region) {
    return warn(
      "credentials",
      `${summary}; ${VARIABLES.region} is not set`,
      `export ${VARIABLES.region}=fr-par (or nl-ams, pl-waw) so that scw and the provider agree with the stack`,
    );
  }
  return ok("credentials", summary);
}

/** The length, and the first three characters only when they are the SCW of an access key: never a secret. */
function describe(value: string): string {
  const start = value.slice(0, 3);
  return `${value.length} characters${/^scw$/i.test(start) ? `, starting "${start}"` : ""}`;
}
