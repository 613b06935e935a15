#!/usr/bin/env node
// Runs the TypeScript sources directly: the CLI ships as source in this repository.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
