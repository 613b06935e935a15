import { describe, expect, it } from "vitest";
import { messages } from "./policyHarness";
import { tagsOf } from "./resourceTags";
import { tagsRequired } from "./tags";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const TAGS = ["cost-center=eval-platform", "environment=dev", "managed-by=sovstack", "owner=platform-team"];

describe("tags-required", () => {
  it("passes list tags, map tags, and resources that take no tags", async () => {
    const resources = [
      { type: "scaleway:containers/container:Container", inputs: { tags: TAGS } },
      { type: "scaleway:index/container:Container", inputs: { tags: TAGS } },
      {
        type: "scaleway:object/bucket:Bucket",
        inputs: { tags: { environment: "dev", owner: "platform-team", "cost-center": "eval-platform" } },
      },
      { type: "scaleway:iam/apiKey:ApiKey", inputs: { applicationId: "app" } },
      { type: "sovstack:stack:AppStack", inputs: {} },
      { type: "scaleway:network/vpc:Vpc", inputs: { tags: UNKNOWN } },
    ];
    expect(await messages(tagsRequired, resources)).toEqual([]);
  });

  it("refuses missing or empty tags, in the form the resource takes", async () => {
    expect(
      await messages(tagsRequired, {
        type: "scaleway:databases/instance:Instance",
        inputs: { tags: ["environment=dev", "owner="] },
      }),
    ).toEqual(['must carry the tags environment, owner, cost-center: add "owner=…", "cost-center=…" to tags.']);
    expect(await messages(tagsRequired, { type: "scaleway:object/bucket:Bucket", inputs: {} })).toEqual([
      'must carry the tags environment, owner, cost-center: add { "environment": "…", "owner": "…", "cost-center": "…" } to tags.',
    ]);
  });

  it("refuses an environment tag that names no environment", async () => {
    const tags = ["environment=prod", "owner=platform-team", "cost-center=eval-platform"];
    expect(await messages(tagsRequired, { type: "scaleway:secrets/secret:Secret", inputs: { tags } })).toEqual([
      "must tag its environment as dev, staging, production: change environment=prod.",
    ]);
  });

  it("takes the required tags from the config", async () => {
    const config = { [tagsRequired.name]: { requiredTags: ["team"] } };
    expect(
      await messages(tagsRequired, { type: "scaleway:network/vpc:Vpc", inputs: { tags: ["team=a"] } }, { config }),
    ).toEqual([]);
  });
});

describe("tagsOf", () => {
  it("reads key=value lists and maps", () => {
    expect(tagsOf(["environment=dev", "a=b=c", "bare"])).toEqual(
      new Map([
        ["environment", "dev"],
        ["a", "b=c"],
        ["bare", ""],
      ]),
    );
    expect(tagsOf({ environment: "dev" })).toEqual(new Map([["environment", "dev"]]));
    expect(tagsOf(null)).toBeUndefined();
  });
});
