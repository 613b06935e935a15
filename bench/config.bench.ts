import { resolve } from "node:path";
import { readStackFile, validateStackConfig } from "@sovstack/components";
import { describeStack } from "../scripts/describe";
import { median, type Figure } from "./measure";

/** Validation of each environment file, and the mocked plan that `npm start` prints before deploying. */
export async function configFigures(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const environment of ["dev", "staging", "production"]) {
    const raw = readStackFile(resolve(import.meta.dirname, "../infra", `Pulumi.${environment}.yaml`));
    figures.push(await median(`validate Pulumi.${environment}.yaml`, 50, () => validateStackConfig(raw)));
  }
  const dev = readStackFile(resolve(import.meta.dirname, "../infra/Pulumi.dev.yaml"));
  figures.push(await median("plan dev through Pulumi mocks", 5, () => describeStack(dev, "dev")));
  return figures;
}
