import { invalidArgument } from "../../http/errors";

/** Regions where VPC and IPAM run. */
export const VPC_REGIONS = ["fr-par", "nl-ams", "pl-waw", "it-mil"];

export function region(value: string | undefined): string {
  if (!value || !VPC_REGIONS.includes(value))
    throw invalidArgument("region", `must be one of ${VPC_REGIONS.join(", ")}`);
  return value;
}
