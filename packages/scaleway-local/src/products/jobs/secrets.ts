import { randomUUID } from "node:crypto";
import { invalidArgument } from "../../http/errors";
import type { ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import { checkRegion, optionalString, requiredString, type Body } from "../containers/values";
import { BASES } from "./definitions";
import { jobsNotFound, type DefinitionRecord, type JobsModel, type SecretRefRecord } from "./model";

/**
 * Secret references of a job definition: a Secret Manager secret (and version) mounted
 * as a file or exposed as an environment variable. Only the reference is kept; the
 * value stays in Secret Manager. v1alpha1 nests them under the definition, v1alpha2
 * has its own `/secrets` collection.
 */

export function createSecretRefs(model: JobsModel, definition: DefinitionRecord, items: unknown): SecretRefRecord[] {
  if (!Array.isArray(items) || items.length === 0) throw invalidArgument("secrets", "secrets is required", "required");
  const configs = (items as Body[]).map((item, index) => {
    const where = `secrets.${index}`;
    const secretManagerId = requiredString(item ?? {}, "secret_manager_id");
    if (!/^[0-9a-f-]{36}$/.test(secretManagerId)) throw invalidArgument(`${where}.secret_manager_id`, "must be a UUID");
    const path = optionalString(item, "path") || undefined;
    const envVarName = optionalString(item, "env_var_name") || undefined;
    if (Boolean(path) === Boolean(envVarName)) {
      throw invalidArgument(`${where}.path`, "exactly one of path and env_var_name is required", "required");
    }
    return { secretManagerId, version: optionalString(item, "secret_manager_version") || "latest", path, envVarName };
  });
  return configs.map((config) =>
    model.secrets.insert({
      id: randomUUID(),
      job_definition_id: definition.id,
      secret_manager_id: config.secretManagerId,
      secret_manager_version: config.version,
      ...(config.path ? { file: { path: config.path } } : { env_var: { name: config.envVarName! } }),
      created_at: nowIso(),
      region: definition.region,
    }),
  );
}

export function updateSecretRef(model: JobsModel, secret: SecretRefRecord, body: Body): SecretRefRecord {
  const version = optionalString(body, "secret_manager_version");
  const path = optionalString(body, "path") || undefined;
  const envVarName = optionalString(body, "env_var_name") || undefined;
  if (path && envVarName) throw invalidArgument("path", "only one of path and env_var_name may be given");
  if (version) secret.secret_manager_version = version;
  if (path) {
    delete secret.env_var;
    secret.file = { path };
  }
  if (envVarName) {
    delete secret.file;
    secret.env_var = { name: envVarName };
  }
  model.secrets.touch();
  return secret;
}

function view(version: "v1alpha1" | "v1alpha2") {
  return (s: SecretRefRecord) => ({
    secret_id: s.id,
    secret_manager_id: s.secret_manager_id,
    secret_manager_version: s.secret_manager_version,
    ...(version === "v1alpha2" && { job_definition_id: s.job_definition_id }),
    ...(s.file ? { file: s.file } : { env_var: s.env_var }),
  });
}

function secretsOf(model: JobsModel, definition: DefinitionRecord): SecretRefRecord[] {
  return model.secrets
    .list((s) => s.job_definition_id === definition.id)
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
}

export function registerSecretRoutes(routes: ProductRoutes, model: JobsModel): void {
  const find = (region: string, id: string, definitionId?: string) => {
    const secret = model.secrets.get(id);
    if (!secret || secret.region !== region || (definitionId && secret.job_definition_id !== definitionId)) {
      throw jobsNotFound("secret");
    }
    return secret;
  };

  const v2 = BASES.v1alpha2;
  const v2View = view("v1alpha2");
  routes.post(`${v2}/secrets`, "CreateSecrets", ({ params, body }) => {
    const definition = model.definition(requiredString(body, "job_definition_id"), checkRegion(params.region));
    return { body: { secrets: createSecretRefs(model, definition, body.secrets).map(v2View) } };
  });
  routes.get(`${v2}/secrets`, "ListSecrets", ({ params, query }) => {
    const definition = model.definition(query.job_definition_id ?? "", checkRegion(params.region));
    const secrets = secretsOf(model, definition);
    return { body: { secrets: secrets.map(v2View), total_count: secrets.length } };
  });
  routes.get(`${v2}/secrets/:secretId`, "GetSecret", ({ params }) => ({
    body: v2View(find(checkRegion(params.region), params.secretId!)),
  }));
  routes.patch(`${v2}/secrets/:secretId`, "UpdateSecret", ({ params, body }) => ({
    body: v2View(updateSecretRef(model, find(checkRegion(params.region), params.secretId!), body)),
  }));
  routes.delete(`${v2}/secrets/:secretId`, "DeleteSecret", ({ params }) => {
    model.secrets.delete(find(checkRegion(params.region), params.secretId!).id);
    return { status: 204 };
  });

  const v1 = `${BASES.v1alpha1}/job-definitions/:jobDefinitionId/secrets`;
  const v1View = view("v1alpha1");
  const definitionOf = (params: Readonly<Record<string, string>>) =>
    model.definition(params.jobDefinitionId!, checkRegion(params.region));
  routes.post(v1, "CreateJobDefinitionSecrets", ({ params, body }) => ({
    body: { secrets: createSecretRefs(model, definitionOf(params), body.secrets).map(v1View) },
  }));
  routes.get(v1, "ListJobDefinitionSecrets", ({ params }) => {
    const secrets = secretsOf(model, definitionOf(params));
    return { body: { secrets: secrets.map(v1View), total_count: secrets.length } };
  });
  routes.get(`${v1}/:secretId`, "GetJobDefinitionSecret", ({ params }) => {
    const definition = definitionOf(params);
    return { body: v1View(find(definition.region, params.secretId!, definition.id)) };
  });
  routes.patch(`${v1}/:secretId`, "UpdateJobDefinitionSecret", ({ params, body }) => {
    const definition = definitionOf(params);
    return { body: v1View(updateSecretRef(model, find(definition.region, params.secretId!, definition.id), body)) };
  });
  routes.delete(`${v1}/:secretId`, "DeleteJobDefinitionSecret", ({ params }) => {
    const definition = definitionOf(params);
    model.secrets.delete(find(definition.region, params.secretId!, definition.id).id);
    return { status: 204 };
  });
}
