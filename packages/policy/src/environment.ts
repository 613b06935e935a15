import type { Plain } from "./inputs";
import { tagsOf } from "./resourceTags";

/** The environments sovstack deploys, from the least to the most strict. */
export const ENVIRONMENTS = ["dev", "staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Where the environment was learnt from; "none" means the strictest rules apply. */
export type EnvironmentSource = "config" | "tag" | "stack-tag" | "stack-name" | "none";

export interface ResolvedEnvironment {
  /** The environment whose rules apply: production when nothing says otherwise. */
  readonly environment: Environment;
  readonly source: EnvironmentSource;
}

export function isEnvironment(value: unknown): value is Environment {
  return typeof value === "string" && (ENVIRONMENTS as readonly string[]).includes(value);
}

/** The stricter of environments: the one whose rules ask more. */
export function strictest(environments: Iterable<Environment>): Environment | undefined {
  let found: Environment | undefined;
  for (const environment of environments)
    if (found === undefined || ENVIRONMENTS.indexOf(environment) > ENVIRONMENTS.indexOf(found)) found = environment;
  return found;
}

/** The stack name of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function stackOfUrn(urn: string): string | undefined {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

export interface EnvironmentHints {
  /** The `environment` property of the policy config (`--policy-pack-config`). */
  readonly configured?: unknown;
  /** `environment=` tags of the resources looked at. */
  readonly tags: readonly Plain[];
  /** Pulumi stack tags (`pulumi stack tag set environment production`). */
  readonly stackTags?: ReadonlyMap<string, string>;
  readonly urns: readonly string[];
}

/**
 * The environment a policy judges by: the policy config first, then the resources'
 * `environment=` tags, then the stack's `environment` tag, then a stack named after an
 * environment. Unknown: production, so that a missing hint never loosens a rule.
 */
export function resolveEnvironment(hints: EnvironmentHints): ResolvedEnvironment {
  if (isEnvironment(hints.configured)) return { environment: hints.configured, source: "config" };
  const tagged = strictest(
    hints.tags.map((tags) => tagsOf(tags)?.get("environment")).filter((value) => isEnvironment(value)),
  );
  if (tagged) return { environment: tagged, source: "tag" };
  const stackTag = hints.stackTags?.get("environment");
  if (isEnvironment(stackTag)) return { environment: stackTag, source: "stack-tag" };
  const named = strictest(hints.urns.map(stackOfUrn).filter((value) => isEnvironment(value)));
  if (named) return { environment: named, source: "stack-name" };
  return { environment: "production", source: "none" };
}
