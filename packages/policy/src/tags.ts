import { resourcePolicy } from "./definePolicy";
import { ENVIRONMENTS, isEnvironment } from "./environment";
import { isUnknown } from "./inputs";
import { tagsOf } from "./resourceTags";
import { TAGS_AS_MAP, takesTags } from "./taggableTypes";

interface TagSettings {
  readonly requiredTags: readonly string[];
}

export const tagsRequired = resourcePolicy<TagSettings>({
  name: "tags-required",
  domain: "tags",
  description: "Resources that take tags carry environment, owner and cost-center tags.",
  appliesTo: "all",
  settings: {
    defaults: { requiredTags: ["environment", "owner", "cost-center"] },
    schema: { requiredTags: { type: "array", items: { type: "string", minLength: 1 } } },
  },
  validate: ({ resource, settings, report }) => {
    if (!takesTags(resource.type) || isUnknown(resource.inputs.tags)) return;
    const tags = tagsOf(resource.inputs.tags) ?? new Map<string, string>();
    const missing = settings.requiredTags.filter((key) => !tags.get(key));
    if (missing.length > 0) {
      const example = TAGS_AS_MAP.has(resource.type)
        ? `{ ${missing.map((key) => `"${key}": "…"`).join(", ")} }`
        : missing.map((key) => `"${key}=…"`).join(", ");
      report(`must carry the tags ${settings.requiredTags.join(", ")}: add ${example} to tags.`);
    }
    const environment = tags.get("environment");
    if (environment && !isEnvironment(environment)) {
      report(`must tag its environment as ${ENVIRONMENTS.join(", ")}: change environment=${environment}.`);
    }
  },
});

export const tagsPolicies = [tagsRequired];
