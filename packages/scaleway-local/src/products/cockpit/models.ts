import type { LocalContext } from "../../context";
import { AlertManagers } from "./alert-manager";
import { AlertRules } from "./alert-rules";
import { ContactPoints } from "./contact-points";
import { DataSources } from "./data-sources";
import { Exporters } from "./exporters";
import { Grafana } from "./grafana";
import { Plans } from "./plans";
import { ProjectSettingsStore } from "./project-settings";
import { Tokens } from "./tokens";

/** Every model of the Cockpit API, over the shared store. */
export interface CockpitModels {
  readonly dataSources: DataSources;
  readonly tokens: Tokens;
  readonly exporters: Exporters;
  readonly alertRules: AlertRules;
  readonly contactPoints: ContactPoints;
  readonly alertManagers: AlertManagers;
  readonly grafana: Grafana;
  readonly plans: Plans;
}

export function cockpitModels(context: LocalContext): CockpitModels {
  const { store, lifecycle } = context;
  const settings = new ProjectSettingsStore(store);
  const alertRules = new AlertRules(store, lifecycle);
  const contactPoints = new ContactPoints(store);
  return {
    dataSources: new DataSources(store, lifecycle.delayMs),
    tokens: new Tokens(store),
    exporters: new Exporters(store, lifecycle),
    alertRules,
    contactPoints,
    alertManagers: new AlertManagers(store, alertRules, contactPoints),
    grafana: new Grafana(store, settings),
    plans: new Plans(settings),
  };
}
