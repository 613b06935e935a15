import type {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { ENFORCEMENT } from "./enforcement";
import { ENVIRONMENTS, resolveEnvironment, type Environment, type ResolvedEnvironment } from "./environment";
import { plainInputs, type PlainRecord } from "./inputs";

type PolicyConfigJSONSchema = PolicyConfigSchema["properties"][string];

/** The domains of the pack: one source file each, and the first word of each policy name. */
export const DOMAINS = [
  "database",
  "storage",
  "iam",
  "secrets",
  "containers",
  "network",
  "monitoring",
  "sovereignty",
  "tags",
] as const;
export type Domain = (typeof DOMAINS)[number];

/** A policy's own settings: their defaults, and the JSON schema the engine checks the config file against. */
export interface SettingsSpec<S extends object> {
  readonly defaults: S;
  readonly schema: { readonly [K in keyof S]-?: PolicyConfigJSONSchema };
}

interface PolicySpec<S extends object> {
  /** kebab-case, starting with the domain. */
  readonly name: string;
  readonly domain: Domain;
  readonly description: string;
  readonly settings?: SettingsSpec<S>;
}

export interface CheckedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly inputs: PlainRecord;
  /** The `protect` resource option. */
  readonly protect: boolean;
  /** Inputs of the resource's provider (its default region, for instance). */
  readonly providerInputs?: PlainRecord;
}

export interface ResourceContext<S> {
  readonly resource: CheckedResource;
  /** The environment whose rules apply (production when nothing says). */
  readonly environment: Environment;
  readonly settings: S;
  /** Reports a violation; the message starts with "must" and says the fix. */
  report(message: string): void;
}

export interface ResourcePolicySpec<S extends object> extends PolicySpec<S> {
  /** Type tokens the policy looks at, or every resource. */
  readonly appliesTo: readonly string[] | "all";
  readonly validate: (context: ResourceContext<S>) => void;
}

export interface StackResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** The resource's properties as the engine last saw them (outputs after an update). */
  readonly inputs: PlainRecord;
  /** URNs of the resources a property's value came from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

export interface StackContext<S> {
  readonly resources: readonly StackResource[];
  readonly environment: Environment;
  readonly settings: S;
  /** Reports a violation of the stack, or of one resource when its URN is given. */
  report(message: string, urn?: string): void;
}

export interface StackPolicySpec<S extends object> extends PolicySpec<S> {
  readonly validate: (context: StackContext<S>) => void;
}

/** Every policy takes `environment`, so that one config file sets the environment for all of them. */
const environmentSchema: PolicyConfigJSONSchema = {
  type: "string",
  enum: [...ENVIRONMENTS],
  description: "dev, staging or production. Unset: the resources' environment= tag, then the stack name.",
};

function configSchema<S extends object>(settings: SettingsSpec<S> | undefined): PolicyConfigSchema {
  const properties: Record<string, PolicyConfigJSONSchema> = { environment: environmentSchema };
  if (settings) {
    for (const [key, schema] of Object.entries(settings.schema) as [string, PolicyConfigJSONSchema][]) {
      properties[key] = { ...schema, default: (settings.defaults as unknown as Record<string, unknown>)[key] as never };
    }
  }
  return { properties };
}

/** Settings from the config, over the defaults (the engine fills defaults in too; tests and old engines may not). */
function readSettings<S extends object>(spec: SettingsSpec<S> | undefined, config: Record<string, unknown>): S {
  if (!spec) return {} as S;
  const settings: Record<string, unknown> = { ...(spec.defaults as unknown as Record<string, unknown>) };
  for (const key of Object.keys(settings)) if (config[key] !== undefined) settings[key] = config[key];
  return settings as unknown as S;
}

/** The object form of a violation that @pulumi/policy 1.21.0's server accepts (server.js, makeReportViolationFun). */
interface ViolationInfo {
  readonly message: string;
  readonly description: string;
  readonly urn?: string;
  readonly enforcementLevel: EnforcementLevel;
}

/**
 * How violations are reported. When the config names the environment, the engine applies
 * the level the config file gives (generated from the ENFORCEMENT table). When the
 * environment came from a tag or the stack, each violation carries the table's level for
 * that environment. With no hint at all, the pack's default level applies (mandatory).
 */
function reporter(
  reportViolation: ReportViolation,
  description: string,
  resolved: ResolvedEnvironment,
): (message: string, urn?: string) => void {
  if (resolved.source === "config" || resolved.source === "none") {
    return (message, urn) => reportViolation(message, urn);
  }
  const enforcementLevel = ENFORCEMENT[resolved.environment];
  const withLevel = reportViolation as unknown as (info: ViolationInfo) => void;
  // The string form prefixes the description; keep the object form's output identical.
  return (message, urn) => withLevel({ message: `${description}\n${message}`, description, urn, enforcementLevel });
}

function common<S extends object>(spec: PolicySpec<S>) {
  return {
    name: spec.name,
    description: spec.description,
    tags: [spec.domain],
    configSchema: configSchema(spec.settings),
  };
}

export function resourcePolicy<S extends object = Record<string, never>>(
  spec: ResourcePolicySpec<S>,
): ResourceValidationPolicy {
  return {
    ...common(spec),
    validateResource: (args, reportViolation) => {
      if (spec.appliesTo !== "all" && !spec.appliesTo.includes(args.type)) return;
      const config = args.getConfig<Record<string, unknown>>();
      const inputs = plainInputs(args.props);
      const resolved = resolveEnvironment({
        configured: config.environment,
        tags: [inputs.tags ?? null],
        stackTags: args.stackTags,
        urns: [args.urn],
      });
      spec.validate({
        resource: {
          type: args.type,
          name: args.name,
          urn: args.urn,
          inputs,
          protect: args.opts.protect === true,
          providerInputs: args.provider ? plainInputs(args.provider.props) : undefined,
        },
        environment: resolved.environment,
        settings: readSettings(spec.settings, config),
        report: reporter(reportViolation, spec.description, resolved),
      });
    },
  };
}

export function stackPolicy<S extends object = Record<string, never>>(spec: StackPolicySpec<S>): StackValidationPolicy {
  return {
    ...common(spec),
    validateStack: (args, reportViolation) => {
      const config = args.getConfig<Record<string, unknown>>();
      const resources = args.resources.map(toStackResource);
      const resolved = resolveEnvironment({
        configured: config.environment,
        tags: resources.map((resource) => resource.inputs.tags ?? null),
        stackTags: args.stackTags,
        urns: resources.map((resource) => resource.urn),
      });
      spec.validate({
        resources,
        environment: resolved.environment,
        settings: readSettings(spec.settings, config),
        report: reporter(reportViolation, spec.description, resolved),
      });
    },
  };
}

function toStackResource(resource: PolicyResource): StackResource {
  const propertyDependencies: Record<string, string[]> = {};
  for (const [property, dependencies] of Object.entries(resource.propertyDependencies ?? {})) {
    propertyDependencies[property] = dependencies.map((dependency) => dependency.urn);
  }
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn,
    inputs: plainInputs(resource.props),
    propertyDependencies,
  };
}
