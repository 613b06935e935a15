/**
 * Runs policies the way @pulumi/policy's analyzer does, without an engine: builds the
 * arguments of validateResource and validateStack, resolves each policy's config like
 * the engine (schema defaults, then "all", then the policy's own entry) and collects what
 * the policies report. For tests.
 */
import type {
  EnforcementLevel,
  Policy,
  PolicyPackConfig,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { DEFAULT_ENFORCEMENT } from "./enforcement";

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

export interface TestResource {
  readonly type: string;
  readonly name?: string;
  readonly inputs?: Record<string, unknown>;
  readonly protect?: boolean;
  /** Parent URN; the URN is built under it, as the engine does. */
  readonly parentUrn?: string;
  /** Stack of the URN. @default "test" (names no environment) */
  readonly stack?: string;
  readonly provider?: { readonly type: string; readonly inputs: Record<string, unknown> };
  /** Property name to URNs of the resources its value came from (stack policies). */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

export interface Violation {
  readonly policy: string;
  /** The message as the policy wrote it, without the description the SDK puts before it. */
  readonly message: string;
  readonly urn?: string;
  readonly enforcementLevel: EnforcementLevel;
}

export interface RunOptions {
  /** A `--policy-pack-config` document. */
  readonly config?: PolicyPackConfig;
  readonly stackTags?: ReadonlyMap<string, string>;
}

export function urnOf(resource: TestResource): string {
  const name = resource.name ?? "test";
  const parentType = resource.parentUrn?.split("::")[2];
  const type = parentType ? `${parentType}$${resource.type}` : resource.type;
  return `urn:pulumi:${resource.stack ?? "test"}::sovstack::${type}::${name}`;
}

/** The engine's view of a policy's config: its level and its properties, defaults filled in. */
function configFor(policy: Policy, config: PolicyPackConfig | undefined) {
  const properties: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if (schema.default !== undefined) properties[key] = structuredClone(schema.default);
  }
  let level: EnforcementLevel = policy.enforcementLevel ?? DEFAULT_ENFORCEMENT;
  const all = config?.all;
  if (typeof all === "string") level = all;
  else if (all?.enforcementLevel) level = all.enforcementLevel;
  const own = config?.[policy.name];
  if (typeof own === "string") level = own;
  else if (own) {
    const { enforcementLevel, ...rest } = own;
    if (enforcementLevel) level = enforcementLevel;
    Object.assign(properties, rest);
  }
  return { level, properties };
}

/** Collects violations; a resource policy's are the resource's, as the engine records them. */
function collector(policy: Policy, level: EnforcementLevel, found: Violation[], resourceUrn?: string): ReportViolation {
  const prefix = `${policy.description}\n`;
  return ((report: string | { message: string; urn?: string; enforcementLevel?: EnforcementLevel }, urn?: string) => {
    const given = typeof report === "string" ? { message: report, urn } : report;
    const info = { ...given, urn: resourceUrn ?? given.urn };
    const message = info.message.startsWith(prefix) ? info.message.slice(prefix.length) : info.message;
    // Every message of the pack states the rule and the fix; a test fails on one that does not.
    if (!/^must /.test(message)) throw new Error(`${policy.name}: a message must start with "must ": ${message}`);
    found.push({ policy: policy.name, message, urn: info.urn, enforcementLevel: info.enforcementLevel ?? level });
  }) as ReportViolation;
}

function resourceArgs(resource: TestResource, getConfig: () => object, options: RunOptions): ResourceValidationArgs {
  const type = resource.type;
  return {
    type,
    props: resource.inputs ?? {},
    urn: urnOf(resource),
    name: resource.name ?? "test",
    opts: {
      protect: resource.protect ?? false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
      parent: resource.parentUrn,
    },
    provider: resource.provider
      ? { type: resource.provider.type, props: resource.provider.inputs, urn: "urn:provider", name: "default" }
      : undefined,
    stackTags: options.stackTags ?? new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: getConfig as ResourceValidationArgs["getConfig"],
    notApplicable: (reason?: string) => {
      throw new Error(`not applicable: ${reason}`);
    },
  };
}

function stackArgs(resources: readonly TestResource[], getConfig: () => object, options: RunOptions) {
  const byUrn = new Map<string, PolicyResource>();
  const policyResources = resources.map((resource): PolicyResource => {
    const args = resourceArgs(resource, getConfig, options);
    const policyResource: PolicyResource = {
      type: args.type,
      props: args.props,
      urn: args.urn,
      name: args.name,
      opts: args.opts,
      provider: args.provider,
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    };
    byUrn.set(args.urn, policyResource);
    return policyResource;
  });
  resources.forEach((resource, index) => {
    const target = policyResources[index]!;
    if (resource.parentUrn) target.parent = byUrn.get(resource.parentUrn);
    for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
      target.propertyDependencies[property] = urns.flatMap((urn) => byUrn.get(urn) ?? []);
    }
  });
  const args: StackValidationArgs = {
    resources: policyResources,
    stackTags: options.stackTags ?? new Map(),
    getConfig: getConfig as StackValidationArgs["getConfig"],
    notApplicable: (reason?: string) => {
      throw new Error(`not applicable: ${reason}`);
    },
  };
  return args;
}

/** Runs policies over resources as one preview would: each resource, then the stack. */
export async function runPolicies(
  policies: readonly AnyPolicy[],
  resources: readonly TestResource[],
  options: RunOptions = {},
): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const policy of policies) {
    const { level, properties } = configFor(policy, options.config);
    if (level === "disabled") continue;
    const getConfig = () => structuredClone(properties);
    if ("validateResource" in policy && policy.validateResource) {
      const validations = [policy.validateResource].flat();
      for (const resource of resources) {
        const report = collector(policy, level, found, urnOf(resource));
        for (const validate of validations) await validate(resourceArgs(resource, getConfig, options), report);
      }
    }
    if ("validateStack" in policy) {
      await policy.validateStack(stackArgs(resources, getConfig, options), collector(policy, level, found));
    }
  }
  return found;
}

/** Messages of the violations, for assertions. */
export async function messages(
  policy: AnyPolicy,
  resources: TestResource | readonly TestResource[],
  options: RunOptions = {},
): Promise<string[]> {
  const list = Array.isArray(resources) ? resources : [resources as TestResource];
  return (await runPolicies([policy], list, options)).map((violation) => violation.message);
}

/** A config that sets an environment (and settings) for one policy. */
export function configOf(policy: Policy, properties: Record<string, unknown>): PolicyPackConfig {
  return { [policy.name]: properties };
}
