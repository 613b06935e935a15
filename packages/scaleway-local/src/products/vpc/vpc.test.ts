import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, Ipam, Vpc } from "@scaleway/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalScaleway, startLocalScaleway } from "../../server";

function apis(local: LocalScaleway) {
  const env = local.env();
  const client = createClient({
    accessKey: env.SCW_ACCESS_KEY!,
    secretKey: env.SCW_SECRET_KEY!,
    apiURL: local.apiUrl,
    defaultOrganizationId: local.organizationId,
    defaultProjectId: local.defaultProjectId,
    defaultRegion: "fr-par",
  });
  return { vpc: new Vpc.v2.API(client), ipam: new Ipam.v1.API(client) };
}

describe("VPC", () => {
  let local: LocalScaleway;
  let vpc: ReturnType<typeof apis>["vpc"];
  let ipam: ReturnType<typeof apis>["ipam"];

  beforeAll(async () => {
    local = await startLocalScaleway({ transitionMs: 50 });
    ({ vpc, ipam } = apis(local));
  });
  afterAll(async () => {
    await local.stop();
  });

  it("has a default VPC per region for the project", async () => {
    const { vpcs } = await vpc.listVPCs({ isDefault: true });
    expect(vpcs).toHaveLength(1);
    expect(vpcs[0]).toMatchObject({
      name: "default",
      isDefault: true,
      projectId: local.defaultProjectId,
      region: "fr-par",
    });
    const amsterdam = await vpc.listVPCs({ region: "nl-ams", isDefault: true });
    expect(amsterdam.vpcs[0]?.id).not.toBe(vpcs[0]?.id);
    // A private network created without a VPC lands in the default one.
    const pn = await vpc.createPrivateNetwork({ name: "loose", defaultRoutePropagationEnabled: false });
    expect(pn.vpcId).toBe(vpcs[0]?.id);
    await vpc.deletePrivateNetwork({ privateNetworkId: pn.id });
  });

  it("creates a VPC with private networks whose subnets do not overlap", async () => {
    const created = await vpc.createVPC({ name: "app", tags: ["sovstack"], enableRouting: true });
    expect(created).toMatchObject({ name: "app", isDefault: false, routingEnabled: true, privateNetworkCount: 0 });
    const first = await vpc.createPrivateNetwork({
      name: "app-a",
      vpcId: created.id,
      defaultRoutePropagationEnabled: false,
    });
    const second = await vpc.createPrivateNetwork({
      name: "app-b",
      vpcId: created.id,
      defaultRoutePropagationEnabled: false,
    });
    for (const pn of [first, second]) {
      expect(pn).toMatchObject({ vpcId: created.id, dhcpEnabled: true, projectId: local.defaultProjectId });
      expect(pn.subnets.map((s) => s.subnet)).toEqual([
        expect.stringMatching(/^172\.(1[6-9]|2\d|3[01])\.\d+\.0\/22$/),
        expect.stringMatching(/^fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::\/64$/),
      ]);
    }
    const subnets = [...first.subnets, ...second.subnets].map((s) => s.subnet);
    expect(new Set(subnets).size).toBe(4);
    // Both IPv6 /64s come from the project's one /48.
    expect(first.subnets[1]!.subnet.split(":").slice(0, 3)).toEqual(second.subnets[1]!.subnet.split(":").slice(0, 3));

    await expect(
      vpc.createPrivateNetwork({
        vpcId: created.id,
        subnets: [first.subnets[0]!.subnet],
        defaultRoutePropagationEnabled: false,
      }),
    ).rejects.toMatchObject({ status: 400, body: { type: "invalid_arguments" } });
    const chosen = await vpc.createPrivateNetwork({
      name: "app-c",
      vpcId: created.id,
      subnets: ["10.42.0.0/24"],
      defaultRoutePropagationEnabled: false,
    });
    expect(chosen.subnets[0]?.subnet).toBe("10.42.0.0/24");
    expect((await vpc.getVPC({ vpcId: created.id })).privateNetworkCount).toBe(3);

    const renamed = await vpc.updatePrivateNetwork({ privateNetworkId: chosen.id, name: "app-c2", tags: ["x"] });
    expect(renamed).toMatchObject({ name: "app-c2", tags: ["x"] });
    const added = await vpc.addSubnets({ privateNetworkId: chosen.id, subnets: ["10.43.0.0/24"] });
    expect(added.subnets).toEqual(["10.43.0.0/24"]);
    const removed = await vpc.deleteSubnets({ privateNetworkId: chosen.id, subnets: ["10.43.0.0/24"] });
    expect(removed.subnets).toEqual(["10.43.0.0/24"]);

    // A VPC is emptied before it goes.
    await expect(vpc.deleteVPC({ vpcId: created.id })).rejects.toMatchObject({ status: 409 });
    for (const pn of [first, second, chosen]) await vpc.deletePrivateNetwork({ privateNetworkId: pn.id });
    await vpc.deleteVPC({ vpcId: created.id });
    await expect(vpc.getVPC({ vpcId: created.id })).rejects.toMatchObject({
      status: 404,
      body: { message: "resource is not found", resource: "vpc", resource_id: created.id, type: "not_found" },
    });
    await expect(vpc.getPrivateNetwork({ privateNetworkId: first.id })).rejects.toMatchObject({
      status: 404,
      body: { resource: "private_network" },
    });
  });

  it("books, lists and releases IPs of a private network", async () => {
    const pn = await vpc.createPrivateNetwork({
      name: "db",
      subnets: ["192.168.10.0/24"],
      defaultRoutePropagationEnabled: false,
    });
    const auto = await ipam.bookIP({ source: { privateNetworkId: pn.id }, isIpv6: false, tags: ["a"] });
    expect(auto).toMatchObject({ address: "192.168.10.2/24", isIpv6: false, source: { subnetId: pn.subnets[0]!.id } });
    const chosen = await ipam.bookIP({ source: { privateNetworkId: pn.id }, isIpv6: false, address: "192.168.10.50" });
    expect(chosen.address).toBe("192.168.10.50/24");
    await expect(
      ipam.bookIP({ source: { privateNetworkId: pn.id }, isIpv6: false, address: "192.168.10.50" }),
    ).rejects.toMatchObject({ status: 409 });
    const v6 = await ipam.bookIP({ source: { privateNetworkId: pn.id }, isIpv6: true });
    expect(v6.address.endsWith("/64")).toBe(true);
    const listed = await ipam.listIPs({ privateNetworkId: pn.id, isIpv6: false, orderBy: "ip_address_asc" });
    expect(listed.ips.map((ip) => ip.address)).toEqual(["192.168.10.2/24", "192.168.10.50/24"]);
    await ipam.releaseIP({ ipId: chosen.id });
    await expect(ipam.getIP({ ipId: chosen.id })).rejects.toMatchObject({ status: 404 });
    await vpc.deletePrivateNetwork({ privateNetworkId: pn.id });
    expect((await ipam.listIPs({ privateNetworkId: pn.id })).totalCount).toBe(0);
  });

  it("keeps routes and ACLs of a VPC", async () => {
    const created = await vpc.createVPC({ name: "routed", enableRouting: true });
    const pn = await vpc.createPrivateNetwork({ vpcId: created.id, defaultRoutePropagationEnabled: false });
    const route = await vpc.createRoute({
      vpcId: created.id,
      description: "to the office",
      destination: "10.0.0.0/24",
      nexthopResourceId: "11111111-2222-4333-8444-555555555555",
      nexthopPrivateNetworkId: pn.id,
      tags: ["office"],
    });
    expect(route).toMatchObject({ destination: "10.0.0.0/24", isReadOnly: false, nexthopPrivateNetworkId: pn.id });
    expect((await vpc.updateRoute({ routeId: route.id, description: "office" })).description).toBe("office");
    const acl = await vpc.setAcl({
      vpcId: created.id,
      isIpv6: false,
      defaultPolicy: "drop",
      rules: [
        {
          protocol: "TCP",
          source: "0.0.0.0/0",
          srcPortLow: 0,
          srcPortHigh: 0,
          destination: "0.0.0.0/0",
          dstPortLow: 443,
          dstPortHigh: 443,
          action: "accept",
          description: "https",
        },
      ],
    });
    expect(acl.defaultPolicy).toBe("drop");
    expect((await vpc.getAcl({ vpcId: created.id, isIpv6: false })).rules[0]).toMatchObject({
      dstPortLow: 443,
      description: "(Rule scope: client) https",
    });
    expect((await vpc.getAcl({ vpcId: created.id, isIpv6: true })).defaultPolicy).toBe("accept");
    await vpc.deleteRoute({ routeId: route.id });
    await expect(vpc.getRoute({ routeId: route.id })).rejects.toMatchObject({ status: 404 });
  });

  it("paginates lists", async () => {
    for (let i = 0; i < 3; i++) await vpc.createVPC({ name: `paged-${i}`, enableRouting: true });
    const page = await vpc.listVPCs({ name: "paged-", pageSize: 2, page: 2 });
    expect(page.totalCount).toBe(3);
    expect(page.vpcs.map((v) => v.name)).toEqual(["paged-2"]);
    await expect(vpc.listVPCs({ pageSize: 101 })).rejects.toMatchObject({ status: 400 });
  });
});

describe("VPC across a restart", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "scaleway-local-vpc-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps VPCs, private networks and IPs", async () => {
    const first = await startLocalScaleway({ transitionMs: 50, dataDir });
    const before = apis(first);
    const created = await before.vpc.createVPC({ name: "persisted", enableRouting: true });
    const pn = await before.vpc.createPrivateNetwork({ vpcId: created.id, defaultRoutePropagationEnabled: false });
    const ip = await before.ipam.bookIP({ source: { privateNetworkId: pn.id }, isIpv6: false });
    await first.stop();

    const second = await startLocalScaleway({ transitionMs: 50, dataDir });
    try {
      const after = apis(second);
      expect((await after.vpc.getVPC({ vpcId: created.id })).privateNetworkCount).toBe(1);
      expect((await after.vpc.getPrivateNetwork({ privateNetworkId: pn.id })).subnets).toEqual(pn.subnets);
      expect((await after.ipam.getIP({ ipId: ip.id })).address).toBe(ip.address);
    } finally {
      await second.stop();
    }
  });
});
