import { describe, expect, it } from "vitest";
import { contains, formatAddress, formatCidr, overlaps, parseAddress, parseCidr } from "./cidr";

describe("CIDR arithmetic", () => {
  it("reads and writes IPv4 and IPv6 prefixes", () => {
    expect(formatCidr(parseCidr("172.16.32.0/22")!)).toBe("172.16.32.0/22");
    expect(formatCidr(parseCidr("fd46:78ab:30b8:177c::/64")!)).toBe("fd46:78ab:30b8:177c::/64");
    expect(formatCidr(parseCidr("FD46:78AB:0:0:0:0:0:0/48")!)).toBe("fd46:78ab::/48");
    expect(formatAddress(6, parseAddress("2001:db8:0:1:0:0:0:1")!.value)).toBe("2001:db8:0:1::1");
    expect(formatAddress(6, parseAddress("::")!.value)).toBe("::");
  });

  it("refuses prefixes with host bits, and malformed ones", () => {
    for (const text of ["172.16.32.1/22", "10.0.0.0/33", "10.0.0/8", "fd00::1/64", "fd00:::/64", "10.0.0.0"])
      expect(parseCidr(text), text).toBeUndefined();
  });

  it("tells containment and overlap", () => {
    const block = parseCidr("172.16.0.0/12")!;
    expect(contains(block, parseCidr("172.31.252.0/22")!)).toBe(true);
    expect(contains(block, parseCidr("172.32.0.0/22")!)).toBe(false);
    expect(overlaps(parseCidr("10.0.0.0/24")!, parseCidr("10.0.0.128/25")!)).toBe(true);
    expect(overlaps(parseCidr("10.0.0.0/25")!, parseCidr("10.0.0.128/25")!)).toBe(false);
    expect(overlaps(parseCidr("10.0.0.0/8")!, parseCidr("fd00::/8")!)).toBe(false);
  });
});
