import { ENVIRONMENTS, readStackFile, type Environment } from "@sovstack/components";
import { UsageError } from "../usageError";
import {
  existingSource,
  isSize,
  isTier,
  presetSource,
  SIZE_NAMES,
  sizeForTier,
  type ScaffoldSource,
  type Size,
} from "./sources";

/** What `sovstack init` was told, by flags or answers; anything unset takes a default. */
export interface ScaffoldRequest {
  /** Stack name: the file is Pulumi.<environment>.yaml. */
  readonly environment: string;
  /** The Pulumi project folder (holds Pulumi.yaml). */
  readonly projectDir: string;
  /** Copy this existing environment of the project. */
  readonly from?: string;
  readonly size?: string;
  /** dev, staging or production: how strict the policy pack is, and part of resource names. */
  readonly tier?: string;
  readonly region?: string;
  readonly projectId?: string;
  readonly owner?: string;
  readonly costCenter?: string;
  readonly namePrefix?: string;
}

/** Every value the new stack file gets, defaults resolved. */
export interface ScaffoldChoices {
  readonly environment: string;
  readonly projectDir: string;
  readonly source: ScaffoldSource;
  readonly size?: Size;
  readonly tier: Environment;
  readonly region: string;
  readonly projectId?: string;
  readonly owner: string;
  readonly costCenter: string;
  readonly namePrefix: string;
}

export function resolveChoices(request: ScaffoldRequest): ScaffoldChoices {
  if (request.from && request.size) {
    throw new UsageError("--from and --size both choose what to start from. Fix: pass only one of them.");
  }
  if (request.size !== undefined && !isSize(request.size)) {
    throw new UsageError(`--size ${request.size} is not a size. Fix: use one of ${SIZE_NAMES.join(", ")}.`);
  }
  if (request.tier !== undefined && !isTier(request.tier)) {
    throw new UsageError(`--tier ${request.tier} is not a tier. Fix: use one of ${ENVIRONMENTS.join(", ")}.`);
  }
  const askedTier = request.tier ?? (isTier(request.environment) ? request.environment : undefined);
  const size = request.from ? undefined : ((request.size as Size | undefined) ?? sizeForTier(askedTier ?? "dev"));
  const source = request.from ? existingSource(request.projectDir, request.from) : presetSource(size!);
  const base = readStackFile(source.path) as Partial<Record<string, string>>;
  const baseTier = base.environment && isTier(base.environment) ? base.environment : "dev";
  const tier = askedTier ?? baseTier;
  return {
    environment: request.environment,
    projectDir: request.projectDir,
    source,
    size,
    tier,
    region: request.region ?? base.region ?? "fr-par",
    projectId: request.projectId || base.projectId || undefined,
    owner: request.owner ?? base.owner ?? "",
    costCenter: request.costCenter ?? base.costCenter ?? "",
    namePrefix: request.namePrefix ?? defaultNamePrefix(base.namePrefix ?? "sovstack", request.environment, tier),
  };
}

/**
 * Resource names are `<namePrefix>-<tier>-...`: an environment named after its tier
 * keeps the prefix; any other (qa, demo...) adds its name, so that it never takes
 * the names of the environment of the same tier.
 */
function defaultNamePrefix(base: string, environment: string, tier: Environment): string {
  return environment === tier || base.endsWith(`-${environment}`) ? base : `${base}-${environment}`;
}
