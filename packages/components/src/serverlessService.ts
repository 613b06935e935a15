import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import { containerLimits } from "./config/limits";
import { applyTransform, type ChildTransforms } from "./transforms";
import { ArgChecks } from "./validation";

export interface ServerlessServiceArgs {
  readonly region: string;
  readonly projectId?: pulumi.Input<string>;
  readonly description?: string;
  /** Image reference. @example "rg.fr-par.scw.cloud/team/api:1.4.2" */
  readonly image: pulumi.Input<string>;
  /** Port the container listens on. @default 8080 */
  readonly port?: number;
  /** CPU, 100-4000 mCPU. @default 280 */
  readonly cpuMilli?: number;
  /** Memory, 128-8192 MB. @default 512 */
  readonly memoryMb?: number;
  /** Instances kept running; 0 scales to zero. @default 0 */
  readonly minScale?: number;
  /** @default 5 */
  readonly maxScale?: number;
  /** Concurrent requests per instance before scaling out, 1-80. @default 50 */
  readonly concurrency?: number;
  /** Request timeout, 1-900 s. @default 300 */
  readonly timeoutSeconds?: number;
  /** `public`: an internet endpoint. `private`: callers need a token. @default "private" */
  readonly privacy?: "public" | "private";
  /** HTTP health check. @default { path: "/health", intervalSeconds: 10, failureThreshold: 3 } */
  readonly healthCheck?: {
    readonly path: string;
    readonly intervalSeconds?: number;
    readonly failureThreshold?: number;
  };
  readonly env?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Secret environment variables, e.g. values read from Secret Manager (SecretStore.value). */
  readonly secretEnv?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Private network to attach the container to. */
  readonly privateNetworkId?: pulumi.Input<string>;
  /** A custom hostname (its DNS must point to the container's endpoint). */
  readonly customDomain?: string;
  readonly tags?: readonly string[];
  /** Per-child escape hatch (`namespace`, `container`, `domain`). */
  readonly transforms?: ChildTransforms<"namespace" | "container" | "domain">;
}

export const serverlessServiceDefaults = {
  port: 8080,
  cpuMilli: 280,
  memoryMb: 512,
  minScale: 0,
  maxScale: 5,
  concurrency: 50,
  timeoutSeconds: 300,
  privacy: "private",
  healthCheck: { path: "/health", intervalSeconds: 10, failureThreshold: 3 },
} as const;

/**
 * A Serverless Container in its own namespace: HTTPS only, health-checked, scaled
 * between minScale and maxScale, private unless said otherwise.
 */
export class ServerlessService extends pulumi.ComponentResource {
  readonly namespaceId: pulumi.Output<string>;
  readonly containerId: pulumi.Output<string>;
  /** https:// URL of the service (the custom domain when there is one). */
  readonly endpoint: pulumi.Output<string>;
  private readonly namespace: scaleway.containers.Namespace;
  private readonly containerResource: scaleway.containers.Container;

  constructor(name: string, args: ServerlessServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const d = serverlessServiceDefaults;
    const port = args.port ?? d.port;
    const minScale = args.minScale ?? d.minScale;
    const maxScale = args.maxScale ?? d.maxScale;
    const privacy = args.privacy ?? d.privacy;
    const healthCheck = { ...d.healthCheck, ...args.healthCheck };
    const limits = containerLimits;

    new ArgChecks(`ServerlessService ${name}`)
      .range("port", port, 1, 65535)
      .rule(
        !(limits.reservedPorts as readonly number[]).includes(port),
        "port",
        port,
        `a port other than ${limits.reservedPorts.join(", ")}`,
        "listen on another port, e.g. 8080",
      )
      .range("cpuMilli", args.cpuMilli, limits.cpuMilli.min, limits.cpuMilli.max, "mCPU")
      .range("memoryMb", args.memoryMb, limits.memoryMb.min, limits.memoryMb.max, "MB")
      .range("minScale", minScale, 0, limits.maxScale.max)
      .range("maxScale", maxScale, limits.maxScale.min, limits.maxScale.max)
      .rule(
        minScale <= maxScale,
        "minScale",
        minScale,
        `at most maxScale (${maxScale})`,
        "lower minScale or raise maxScale",
      )
      .range("concurrency", args.concurrency, limits.concurrency.min, limits.concurrency.max)
      .range("timeoutSeconds", args.timeoutSeconds, limits.timeoutSeconds.min, limits.timeoutSeconds.max, "seconds")
      .oneOf("privacy", privacy, ["public", "private"])
      .rule(
        healthCheck.path.startsWith("/"),
        "healthCheck.path",
        healthCheck.path,
        "a path starting with /",
        "use e.g. /health",
      )
      .range("healthCheck.intervalSeconds", healthCheck.intervalSeconds, 1, 3600, "seconds")
      .range("healthCheck.failureThreshold", healthCheck.failureThreshold, 1, 50)
      .rule(
        !args.customDomain || privacy === "public",
        "customDomain",
        args.customDomain,
        "a custom domain on public services only",
        "set privacy: public or remove the domain",
      )
      .done();
    super("sovstack:containers:ServerlessService", name, {}, opts);

    const tags = [...(args.tags ?? [])];
    this.namespace = new scaleway.containers.Namespace(
      name,
      applyTransform(args.transforms, "namespace", {
        name,
        description: args.description,
        region: args.region,
        projectId: args.projectId,
        tags,
      }),
      { parent: this },
    );
    this.containerResource = new scaleway.containers.Container(
      name,
      applyTransform(args.transforms, "container", {
        name,
        description: args.description,
        namespaceId: this.namespace.id,
        region: args.region,
        image: args.image,
        port,
        protocol: "http1",
        cpuLimit: args.cpuMilli ?? d.cpuMilli,
        // The API counts memory in bytes of 10^6 per MB.
        memoryLimitBytes: (args.memoryMb ?? d.memoryMb) * 1_000_000,
        minScale,
        maxScale,
        timeout: args.timeoutSeconds ?? d.timeoutSeconds,
        scalingOptions: [{ concurrentRequestsThreshold: args.concurrency ?? d.concurrency }],
        privacy,
        httpsConnectionsOnly: true,
        livenessProbe: {
          http: { path: healthCheck.path },
          interval: `${healthCheck.intervalSeconds}s`,
          failureThreshold: healthCheck.failureThreshold,
          timeout: "1s",
        },
        environmentVariables: { ...args.env },
        secretEnvironmentVariables: args.secretEnv ? pulumi.secret({ ...args.secretEnv }) : undefined,
        privateNetworkId: args.privateNetworkId,
        tags,
      }),
      { parent: this },
    );

    let endpoint = this.containerResource.publicEndpoint;
    if (args.customDomain) {
      new scaleway.containers.Domain(
        name,
        applyTransform(args.transforms, "domain", {
          containerId: this.containerResource.id,
          hostname: args.customDomain,
          region: args.region,
        }),
        { parent: this },
      );
      endpoint = pulumi.output(`https://${args.customDomain}`);
    }
    this.namespaceId = this.namespace.id;
    this.containerId = this.containerResource.id;
    this.endpoint = endpoint;
    this.registerOutputs({ namespaceId: this.namespaceId, containerId: this.containerId, endpoint: this.endpoint });
  }

  get namespaceResource(): scaleway.containers.Namespace {
    return this.namespace;
  }

  get container(): scaleway.containers.Container {
    return this.containerResource;
  }
}
