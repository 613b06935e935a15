import { type ArgumentDetail, invalidArgument, invalidArguments } from "../../http/errors";
import type { ProductRoutes } from "../../http/router";
import { optionalBoolean, queryBoolean } from "../../http/input";
import { parseCidr } from "./cidr";
import type { AclRule, VpcState } from "./state";
import type { Vpcs } from "./vpcs";

const PROTOCOLS = ["ANY", "TCP", "UDP", "ICMP"];
const ACTIONS = ["accept", "drop"];
/** The API marks rules set through it as the client's, in their description. */
const CLIENT_SCOPE = "(Rule scope: client) ";

/** The network ACL of a VPC, one per IP family: ordered rules and a default policy. */
export class Acls {
  constructor(
    private readonly state: VpcState,
    private readonly vpcs: Vpcs,
  ) {}

  get(regionName: string, vpcId: string, isIpv6: boolean): { default_policy: string; rules: AclRule[] } {
    const vpc = this.vpcs.get(regionName, vpcId);
    const acl = this.state.acls.get(`${vpc.id}/${isIpv6 ? 6 : 4}`);
    return { default_policy: acl?.default_policy ?? "accept", rules: acl?.rules ?? [] };
  }

  set(regionName: string, vpcId: string, body: Record<string, unknown>): { default_policy: string; rules: AclRule[] } {
    const vpc = this.vpcs.get(regionName, vpcId);
    const isIpv6 = optionalBoolean(body, "is_ipv6") ?? false;
    const defaultPolicy = body.default_policy ?? "accept";
    if (typeof defaultPolicy !== "string" || !ACTIONS.includes(defaultPolicy))
      throw invalidArgument("default_policy", `must be one of ${ACTIONS.join(", ")}`);
    const rules = this.rules(body.rules ?? [], isIpv6 ? 6 : 4);
    this.state.acls.insert({ id: `${vpc.id}/${isIpv6 ? 6 : 4}`, default_policy: defaultPolicy, rules });
    return { default_policy: defaultPolicy, rules };
  }

  private rules(specs: unknown, family: 4 | 6): AclRule[] {
    if (!Array.isArray(specs)) throw invalidArgument("rules", "must be a list of rules");
    const problems: ArgumentDetail[] = [];
    const problem = (argument: string, help: string) =>
      problems.push({ argument_name: argument, reason: "constraint", help_message: help });
    const rules = specs.map((spec: unknown, index): AclRule => {
      const rule = (spec && typeof spec === "object" ? spec : {}) as Record<string, unknown>;
      const at = `rules[${index}]`;
      const protocol = String(rule.protocol ?? "ANY");
      const action = String(rule.action ?? "");
      if (!PROTOCOLS.includes(protocol)) problem(`${at}.protocol`, `must be one of ${PROTOCOLS.join(", ")}`);
      if (!ACTIONS.includes(action)) problem(`${at}.action`, `must be one of ${ACTIONS.join(", ")}`);
      for (const key of ["source", "destination"]) {
        const cidr = parseCidr(String(rule[key] ?? ""));
        if (!cidr || cidr.family !== family) problem(`${at}.${key}`, `must be an IPv${family} CIDR`);
      }
      const ports = ["src_port_low", "src_port_high", "dst_port_low", "dst_port_high"].map((key) => {
        const value = rule[key] ?? 0;
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 65535)
          problem(`${at}.${key}`, "must be a port from 0 to 65535");
        return Number(value);
      });
      if (ports[0]! > ports[1]! || ports[2]! > ports[3]!) problem(at, "a port range must go from low to high");
      const description = typeof rule.description === "string" ? rule.description : "";
      return {
        protocol,
        source: String(rule.source ?? ""),
        src_port_low: ports[0]!,
        src_port_high: ports[1]!,
        destination: String(rule.destination ?? ""),
        dst_port_low: ports[2]!,
        dst_port_high: ports[3]!,
        action,
        description: description.startsWith(CLIENT_SCOPE) ? description : `${CLIENT_SCOPE}${description}`,
      };
    });
    if (problems.length > 0) throw invalidArguments(problems);
    return rules;
  }
}

export function aclRoutes(routes: ProductRoutes, acls: Acls) {
  const path = "/vpc/v2/regions/:region/vpcs/:vpcId/acl-rules";
  routes.get(path, "GetAcl", ({ params, query }) => ({
    body: acls.get(params.region!, params.vpcId!, queryBoolean(query, "is_ipv6") ?? false),
  }));
  routes.put(path, "SetAcl", ({ params, body }) => ({ body: acls.set(params.region!, params.vpcId!, body) }));
}
