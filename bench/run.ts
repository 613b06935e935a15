/**
 * npm run bench [-- section ...]: prints measured figures. Sections: config, engine.
 * Benchmarks measure; tests assert behaviour. Nothing here fails on a slow machine.
 */
import { configFigures } from "./config.bench";
import { engineFigures } from "./engine.bench";
import { print, type Figure } from "./measure";

const sections: Record<string, { title: string; run: () => Promise<Figure[]> }> = {
  config: { title: "Configuration (validation and plan through mocks)", run: configFigures },
  engine: { title: "Engine (toolchain and previews)", run: engineFigures },
};

const chosen = process.argv.slice(2);
for (const name of chosen.length ? chosen : Object.keys(sections)) {
  const section = sections[name];
  if (!section) {
    console.error(`unknown section ${name}; sections: ${Object.keys(sections).join(", ")}`);
    process.exit(64);
  }
  print(section.title, await section.run());
}
