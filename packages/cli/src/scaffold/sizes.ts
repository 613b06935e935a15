import type { Environment } from "@sovstack/components";

/**
 * Sizes of a new environment. Each is the shape of one of the evaluation platform's
 * own environments, read from its stack file, so that the presets follow them.
 * Kept apart from sources.ts so that `sovstack init --help` lists them without loading the components.
 */
export const SIZES = {
  small: { like: "dev", summary: "services scale to zero, one small database node, 7 days of backups" },
  medium: { like: "staging", summary: "one instance per public service, one database node, 14 days of backups" },
  large: { like: "production", summary: "2+ instances, HA database with a read replica, tiered backups" },
} as const satisfies Record<string, { like: Environment; summary: string }>;

export type Size = keyof typeof SIZES;
export const SIZE_NAMES = Object.keys(SIZES) as Size[];
