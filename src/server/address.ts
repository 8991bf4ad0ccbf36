import { BlockList, isIP } from "node:net";
import type { IncomingMessage } from "node:http";

/** `::ffff:10.1.2.3` (an IPv4 peer on a dual-stack socket) is the IPv4 address `10.1.2.3`. */
export function normalAddress(address: string | undefined): string {
  if (!address) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address.toLowerCase();
}

/**
 * Who the client is. The TCP peer, unless the peer is a trusted proxy (TRUST_PROXY): then the
 * rightmost `X-Forwarded-For` entry that is not itself a trusted proxy. Entries left of it are
 * whatever the client wrote and are never believed; a header from an untrusted peer is ignored.
 */
export class ClientAddresses {
  readonly #trusted: BlockList | null;

  constructor(trustProxy: readonly string[]) {
    if (trustProxy.length === 0) {
      this.#trusted = null;
      return;
    }
    const list = new BlockList();
    for (const entry of trustProxy) {
      const [addr, bits] = entry.split("/");
      const type = isIP(addr) === 6 ? "ipv6" : "ipv4";
      if (bits === undefined) list.addAddress(addr, type);
      else list.addSubnet(addr, Number(bits), type);
    }
    this.#trusted = list;
  }

  /** True when `address` is a trusted proxy. */
  isProxy(address: string): boolean {
    const family = isIP(address);
    return this.#trusted !== null && family !== 0 && this.#trusted.check(address, family === 6 ? "ipv6" : "ipv4");
  }

  of(req: IncomingMessage): string {
    const peer = normalAddress(req.socket.remoteAddress);
    if (!this.isProxy(peer)) return peer;
    const header = req.headers["x-forwarded-for"];
    const hops = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map((h) => normalAddress(h.trim()));
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i];
      if (isIP(hop) === 0) return peer; // a malformed hop: trust nothing further left
      if (!this.isProxy(hop)) return hop;
    }
    return peer;
  }
}

/** How many of something each address holds, with a cap; an address at zero is forgotten. */
export class PerAddress {
  readonly #counts = new Map<string, number>();
  constructor(readonly cap: number) {}

  /** Count one more for `address`; false (and nothing counted) when it is at the cap. 0 = no cap. */
  take(address: string): boolean {
    const n = this.#counts.get(address) ?? 0;
    if (this.cap > 0 && n >= this.cap) return false;
    this.#counts.set(address, n + 1);
    return true;
  }

  release(address: string): void {
    const n = this.#counts.get(address) ?? 0;
    if (n <= 1) this.#counts.delete(address);
    else this.#counts.set(address, n - 1);
  }

  count(address: string): number {
    return this.#counts.get(address) ?? 0;
  }
}
