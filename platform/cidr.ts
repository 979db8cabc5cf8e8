/** IPv4 CIDR arithmetic for config validation: the VPCs meet at the Transit Gateway, so they must never overlap. */
export interface Ipv4Range {
    cidr: string;
    first: number;
    last: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** The range a CIDR covers, or undefined when it is not a canonical IPv4 CIDR (host bits must be zero). */
export function parseCidr(cidr: string): Ipv4Range | undefined {
    const match = CIDR.exec(cidr);
    if (!match) {
        return undefined;
    }
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255) || prefix > 32) {
        return undefined;
    }
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    if (address % size !== 0) {
        return undefined;
    }
    return { cidr, first: address, last: address + size - 1 };
}

export function cidrsOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
    return a.first <= b.last && b.first <= a.last;
}
