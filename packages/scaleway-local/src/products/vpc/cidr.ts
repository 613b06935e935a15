/** IPv4 and IPv6 addresses and prefixes as big integers, for subnets, routes and IPAM. */
export type Family = 4 | 6;

export interface Cidr {
  readonly family: Family;
  readonly network: bigint;
  readonly prefix: number;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

export function parseAddress(text: string): { family: Family; value: bigint } | undefined {
  if (text.includes(":")) return parseIpv6(text);
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return undefined;
  return { family: 4, value: parts.reduce((sum, part) => (sum << 8n) | BigInt(Number(part)), 0n) };
}

function parseIpv6(text: string): { family: 6; value: bigint } | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string) => (half === "" ? [] : half.split(":"));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (all.some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return { family: 6, value: all.reduce((sum, group) => (sum << 16n) | BigInt(parseInt(group, 16)), 0n) };
}

/** A CIDR whose host bits are zero (`172.16.0.0/22`, `fd46:78ab:30b8:177c::/64`). */
export function parseCidr(text: string): Cidr | undefined {
  const [address, length, extra] = text.split("/");
  if (!address || !length || extra !== undefined || !/^\d{1,3}$/.test(length)) return undefined;
  const parsed = parseAddress(address);
  const prefix = Number(length);
  if (!parsed || prefix > BITS[parsed.family]) return undefined;
  if ((parsed.value & hostMask(parsed.family, prefix)) !== 0n) return undefined;
  return { family: parsed.family, network: parsed.value, prefix };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatAddress(cidr.family, cidr.network)}/${cidr.prefix}`;
}

export function formatAddress(family: Family, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: the longest run of two or more zero groups becomes `::`.
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}

export function hostMask(family: Family, prefix: number): bigint {
  return (1n << BigInt(BITS[family] - prefix)) - 1n;
}

export function size(cidr: Cidr): bigint {
  return 1n << BigInt(BITS[cidr.family] - cidr.prefix);
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.family === inner.family &&
    outer.prefix <= inner.prefix &&
    (inner.network & ~hostMask(outer.family, outer.prefix)) === outer.network
  );
}

export function containsAddress(cidr: Cidr, family: Family, value: bigint): boolean {
  return cidr.family === family && (value & ~hostMask(family, cidr.prefix)) === cidr.network;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b) || contains(b, a);
}

/** Private IPv4 ranges (RFC 1918) that private networks may use. */
export const PRIVATE_IPV4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((text) => parseCidr(text)!);
