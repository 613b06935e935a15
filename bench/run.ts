/**
 * npm run bench [-- section ...]: prints measured figures. Sections: config, cost, engine, local, state, cli, and
 * toolchain (a six-minute cold build, run only when asked for).
 * Benchmarks measure; tests assert behaviour. Nothing here fails on a slow machine.
 */
import { cliFigures } from "./cli.bench";
import { configFigures } from "./config.bench";
import { costFigures } from "./cost.bench";
import { engineFigures } from "./engine.bench";
import { localFigures } from "./local.bench";
import { toolchainFigures } from "./toolchain.bench";
import { print, type Figure } from "./measure";
import { stateFigures } from "./state.bench";

const sections: Record<string, { title: string; run: () => Promise<Figure[]>; onRequestOnly?: boolean }> = {
  config: { title: "Configuration (validation and plan through mocks)", run: configFigures },
  cost: { title: "Monthly cost estimates (EUR, excl. VAT)", run: costFigures },
  engine: { title: "Engine (toolchain and previews)", run: engineFigures },
  local: { title: "The dev stack on the local Scaleway", run: localFigures },
  state: { title: "State backends: leases, history, backup, restore", run: stateFigures },
  cli: { title: "The sovstack command: start-up, cost, drift", run: cliFigures },
  toolchain: { title: "Toolchain build from Go modules", run: toolchainFigures, onRequestOnly: true },
};

const chosen = process.argv.slice(2);
const defaults = Object.keys(sections).filter((name) => !sections[name]!.onRequestOnly);
for (const name of chosen.length ? chosen : defaults) {
  const section = sections[name];
  if (!section) {
    console.error(`unknown section ${name}; sections: ${Object.keys(sections).join(", ")}`);
    process.exit(64);
  }
  print(section.title, await section.run());
}
