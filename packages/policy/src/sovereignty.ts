import { resourcePolicy } from "./definePolicy";
import { asString, type PlainRecord } from "./inputs";

interface PackageSettings {
  /** Packages whose resources may be used besides Scaleway's: components and local-only providers. */
  readonly allowedPackages: readonly string[];
}

/** The package of a type token; for a provider (`pulumi:providers:aws`), the package it provides. */
export function packageOf(type: string): string {
  const [first = "", second = "", third = ""] = type.split(":");
  return first === "pulumi" && second === "providers" ? third : first;
}

export const sovereigntyScalewayOnly = resourcePolicy<PackageSettings>({
  name: "sovereignty-scaleway-only",
  domain: "sovereignty",
  description: "Resources run on Scaleway: no AWS, Google Cloud, Azure or other provider's resources.",
  appliesTo: "all",
  settings: {
    // random and tls compute values locally; sovstack is the components' own package.
    defaults: { allowedPackages: ["scaleway", "sovstack", "random", "tls"] },
    schema: { allowedPackages: { type: "array", items: { type: "string", minLength: 1 } } },
  },
  validate: ({ resource, settings, report }) => {
    // pulumi:pulumi:Stack and pulumi:pulumi:StackReference are the engine's own.
    if (/^pulumi:pulumi:/.test(resource.type)) return;
    const pkg = packageOf(resource.type);
    if (pkg === "scaleway" || settings.allowedPackages.includes(pkg)) return;
    report(
      `must run on Scaleway: ${pkg} resources take data outside the sovereign perimeter; ` +
        `use the Scaleway equivalent (or add ${pkg} to allowedPackages if it keeps no data outside Scaleway).`,
    );
  },
});

interface RegionSettings {
  readonly allowedRegions: readonly string[];
}

/** The region of a zone: fr-par-1 is in fr-par. */
export function regionOfZone(zone: string): string {
  return zone.replace(/-\d+$/, "");
}

function placement(inputs: PlainRecord | undefined): { region?: string; zone?: string } {
  return { region: asString(inputs?.region), zone: asString(inputs?.zone) };
}

export const sovereigntyAllowedRegions = resourcePolicy<RegionSettings>({
  name: "sovereignty-allowed-regions",
  domain: "sovereignty",
  description: "Resources are placed in allowed regions only (fr-par, nl-ams, pl-waw by default).",
  appliesTo: "all",
  settings: {
    defaults: { allowedRegions: ["fr-par", "nl-ams", "pl-waw"] },
    schema: { allowedRegions: { type: "array", items: { type: "string", pattern: "^[a-z]{2}-[a-z]{3}$" } } },
  },
  validate: ({ resource, settings, report }) => {
    const scaleway = resource.type.startsWith("scaleway:") || resource.type === "pulumi:providers:scaleway";
    if (!scaleway) return;
    let { region, zone } = placement(resource.inputs);
    // A resource without its own placement lands in its provider's default region.
    if (region === undefined && zone === undefined) ({ region, zone } = placement(resource.providerInputs));
    const allowed = settings.allowedRegions.join(", ");
    for (const [key, value] of [
      ["region", region],
      ["zone", zone],
    ] as const) {
      if (value === undefined) continue;
      const where = key === "zone" ? regionOfZone(value) : value;
      if (!settings.allowedRegions.includes(where)) {
        report(`must be placed in an allowed region (${allowed}): set ${key} in one of them (it is ${value}).`);
      }
    }
  },
});

export const sovereigntyPolicies = [sovereigntyScalewayOnly, sovereigntyAllowedRegions];
