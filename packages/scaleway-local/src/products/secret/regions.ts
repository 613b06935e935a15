import { invalidArgument } from "../../http/errors";

/** Regions where Secret Manager runs. */
export const SECRET_REGIONS = ["fr-par", "nl-ams", "pl-waw"];

export function region(value: string | undefined): string {
  if (!value || !SECRET_REGIONS.includes(value))
    throw invalidArgument("region", `must be one of ${SECRET_REGIONS.join(", ")}`);
  return value;
}
