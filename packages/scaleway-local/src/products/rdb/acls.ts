import { invalidArgument } from "../../http/errors";
import { paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import type { RdbModel } from "./model";
import type { AclRule, InstanceRecord } from "./records";
import { checkCidr, objectList, stringList } from "./validation";
import { aclView } from "./views";

/**
 * ACL rules of an instance: the networks allowed in. They are kept and answered, not
 * enforced: every local client comes from 127.0.0.1, which rules written for real
 * networks would lock out.
 */
export class Acls {
  constructor(private readonly model: RdbModel) {}

  list(region: string, instanceId: string, query: Readonly<Record<string, string>>) {
    const instance = this.model.instance(region, instanceId);
    return paginate(this.view(instance, instance._acls), query, "rules");
  }

  set(region: string, instanceId: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, instanceId);
    instance._acls = rulesOf(body);
    this.model.instances.touch();
    return { rules: this.view(instance, instance._acls) };
  }

  add(region: string, instanceId: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, instanceId);
    const added = rulesOf(body);
    instance._acls = [...instance._acls.filter((rule) => !added.some((a) => a.ip === rule.ip)), ...added];
    this.model.instances.touch();
    return { rules: this.view(instance, added) };
  }

  /** Removes rules by network; answers the rules removed. */
  delete(region: string, instanceId: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, instanceId);
    const ips = (stringList(body, "acl_rule_ips") ?? []).map((ip) => checkCidr(ip, "acl_rule_ips"));
    const removed = instance._acls.filter((rule) => ips.includes(rule.ip));
    instance._acls = instance._acls.filter((rule) => !ips.includes(rule.ip));
    this.model.instances.touch();
    return { rules: this.view(instance, removed) };
  }

  private view(instance: InstanceRecord, rules: readonly AclRule[]) {
    return rules.map((rule) => aclView(rule, instance));
  }
}

/** Everyone may connect until rules say otherwise. */
export const DEFAULT_ACL: readonly AclRule[] = [{ ip: "0.0.0.0/0", description: "IP allowed" }];

function rulesOf(body: Record<string, unknown>): AclRule[] {
  const rules = objectList(body, "rules").map((rule) => ({
    ip: checkCidr(rule.ip, "rules.ip"),
    description: typeof rule.description === "string" ? rule.description : "",
  }));
  if (new Set(rules.map((r) => r.ip)).size !== rules.length) throw invalidArgument("rules", "an IP appears twice");
  return rules;
}

export function registerAcls(routes: ProductRoutes, acls: Acls) {
  const path = "/rdb/v1/regions/:region/instances/:id/acls";
  routes.get(path, "ListInstanceACLRules", ({ params, query }) => ({
    body: acls.list(params.region!, params.id!, query),
  }));
  routes.put(path, "SetInstanceACLRules", ({ params, body }) => ({ body: acls.set(params.region!, params.id!, body) }));
  routes.post(path, "AddInstanceACLRules", ({ params, body }) => ({
    body: acls.add(params.region!, params.id!, body),
  }));
  routes.delete(path, "DeleteInstanceACLRules", ({ params, body }) => ({
    body: acls.delete(params.region!, params.id!, body),
  }));
}
