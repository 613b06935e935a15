import * as pulumi from "@pulumi/pulumi";

/** A resource a program would register, seen through Pulumi's mocks (no engine, no API). */
export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  /** Inputs as they reach the provider; secrets are unwrapped. */
  readonly inputs: Record<string, unknown>;
  /** URN of the parent resource (undefined for top-level resources). */
  readonly parentUrn?: string;
  /** Whether the program asked for deletion protection. */
  readonly protect: boolean;
  /** Input names the program marked as secret (`pulumi.secret`). */
  readonly secretInputs: readonly string[];
  /** Inputs whose later changes the engine ignores (`ignoreChanges`): values kept once created. */
  readonly ignoreChanges: readonly string[];
}

export interface PlanResult<T> {
  readonly resources: readonly PlannedResource[];
  readonly outputs: T;
}

/** Values the Scaleway API would compute, so that outputs derived from them resolve. */
function computedState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const region = (inputs.region as string | undefined) ?? "fr-par";
  switch (type) {
    case "scaleway:containers/container:Container":
      return { publicEndpoint: `https://${name}.functions.fnc.${region}.scw.cloud`, status: "ready" };
    case "scaleway:databases/instance:Instance":
      return { privateNetwork: { ...(inputs.privateNetwork as object), ip: "172.16.0.2", port: 5432 } };
    case "scaleway:iam/apiKey:ApiKey":
      return { accessKey: "SCWPLANNEDACCESSKEY0", secretKey: "planned-secret-key" };
    case "scaleway:observability/token:Token":
      return { secretKey: "planned-cockpit-token" };
    case "scaleway:observability/source:Source":
      return { pushUrl: `https://${name}.cockpit.${region}.scw.cloud` };
    default:
      return {};
  }
}

/**
 * Runs a Pulumi program against mocks and returns what it would register, with each
 * resource's inputs and parent. Used by `npm start` before a real Scaleway is there,
 * and by the tests.
 */
export async function planProgram<T>(
  program: (opts: pulumi.ComponentResourceOptions) => T,
  options: { readonly project: string; readonly stack: string },
): Promise<PlanResult<T>> {
  const registered = new Map<
    string,
    Omit<PlannedResource, "parentUrn" | "protect" | "secretInputs" | "ignoreChanges">
  >();
  const parents = new Map<string, Promise<string | undefined>>();
  const protectedKeys = new Set<string>();
  const ignoredChanges = new Map<string, readonly string[]>();
  const secretInputs = new Map<string, Promise<string[]>>();

  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = unwrapSecrets(args.inputs) as Record<string, unknown>;
        registered.set(`${args.type}::${args.name}`, { type: args.type, name: args.name, inputs });
        return {
          id: `${args.name}-id`,
          state: { ...args.inputs, ...computedState(args.type, args.name, args.inputs) },
        };
      },
      call: (args) => args.inputs,
    },
    options.project,
    options.stack,
    true,
  );

  const recorder: pulumi.ResourceTransformation = (args) => {
    const key = `${args.type}::${args.name}`;
    const parent = args.opts.parent;
    parents.set(
      key,
      parent ? new Promise((resolve) => parent.urn.apply((urn) => resolve(urn))) : Promise.resolve(undefined),
    );
    if (args.opts.protect) protectedKeys.add(key);
    ignoredChanges.set(key, [...(args.opts.ignoreChanges ?? [])]);
    const outputs = Object.entries(args.props ?? {}).filter(([, value]) => pulumi.Output.isInstance(value));
    secretInputs.set(
      key,
      Promise.all(
        outputs.map(async ([prop, value]) =>
          (await pulumi.isSecret(value as pulumi.Output<unknown>)) ? prop : undefined,
        ),
      ).then((props) => props.filter((prop): prop is string => prop !== undefined)),
    );
    return undefined;
  };

  const outputs = program({ transformations: [recorder] });
  await settle(outputs);

  const resources: PlannedResource[] = [];
  for (const [key, resource] of registered) {
    resources.push({
      ...resource,
      parentUrn: await parents.get(key),
      protect: protectedKeys.has(key),
      secretInputs: (await secretInputs.get(key)) ?? [],
      ignoreChanges: ignoredChanges.get(key) ?? [],
    });
  }
  return { resources, outputs };
}

/** Pulumi's wire marker of a secret value (sdk/nodejs/runtime/rpc.ts). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG] === SECRET_VALUE) return unwrapSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, unwrapSecrets(inner)]));
}

/** Waits until every output of the program resolved, and mocks' registrations with them. */
async function settle(outputs: unknown): Promise<void> {
  const values = outputs && typeof outputs === "object" ? Object.values(outputs) : [];
  await Promise.all(
    values.map((value) =>
      pulumi.Output.isInstance(value)
        ? new Promise<void>((resolve) => value.apply(() => resolve()))
        : Promise.resolve(),
    ),
  );
  // Resources registered from apply callbacks land a few ticks later.
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}
