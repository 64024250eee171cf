/**
 * The Service IP and node port allocators of one FakeApiServer (kube-apiserver's
 * `pkg/registry/core/service/ipallocator` and `portallocator`, driven by `pkg/registry/core/service/storage/alloc.go`).
 *
 * The service CIDR is kubeadm's default `10.96.0.0/12` and the node port range the default `30000-32767`. An address
 * or port is in use while a stored Service holds it: the allocator reads the server's Services (a callback) instead of
 * keeping a bitmap, so deletes, dry runs and failed creates need no release step. Differences from a real server:
 * dynamic allocation is sequential (a real server picks at random), starting at the first address of the dynamic
 * block (`10.96.1.1`: the bitmap allocator reserves the lowest 256 addresses of a /12 for static IPs,
 * `calculateRangeOffset`) and at the first port of the range.
 * @internal
 */

/** The CIDR Services get their ClusterIP from (`--service-cluster-ip-range`, kubeadm's default). @internal */
export const SERVICE_CIDR = '10.96.0.0/12';
/** The node port range (`--service-node-port-range` default). @internal */
export const NODE_PORT_RANGE = { first: 30000, last: 32767 } as const;

const BASE = ipToInt('10.96.0.0')!;
const SIZE = 2 ** 20; // a /12
/** `calculateRangeOffset`: min(max(16, size/16), 256) addresses at the start are kept for static allocation. */
const DYNAMIC_OFFSET = 256;

/** An IPv4 address as an unsigned integer, or undefined when not a dotted quad. @internal */
export function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** A stored Service as the allocator reads it. @internal */
export interface AllocatedService {
  readonly key: string;
  readonly clusterIPs: readonly string[];
  readonly nodePorts: readonly number[];
}

/**
 * Allocates ClusterIPs and node ports among the Services a server stores (`services()`, the stored objects).
 * @internal
 */
export class ServiceAllocator {
  private nextIp = DYNAMIC_OFFSET + 1;
  private nextPort: number = NODE_PORT_RANGE.first;

  constructor(private readonly services: () => Iterable<AllocatedService>) {}

  /**
   * What is taken now, read once for one request: every stored Service's addresses and node ports but those of
   * `except` (the `namespace/name` of the Service being updated). Allocations through the view are taken in it too.
   */
  view(except?: string): AllocationView {
    const ips = new Set<string>();
    const ports = new Set<number>();
    for (const s of this.services()) {
      if (s.key === except) continue;
      for (const ip of s.clusterIPs) ips.add(ip);
      for (const p of s.nodePorts) ports.add(p);
    }
    return new AllocationView(this, ips, ports);
  }

  /** The next free ClusterIP after the cursor (dynamic block first, wrapping), or undefined when the range is full. */
  nextFreeIP(taken: ReadonlySet<string>): string | undefined {
    for (let i = 0; i < SIZE - 2; i++) {
      const offset = ((this.nextIp - 1 + i) % (SIZE - 2)) + 1;
      const ip = intToIp(BASE + offset);
      if (!taken.has(ip)) {
        this.nextIp = offset + 1;
        return ip;
      }
    }
    return undefined;
  }

  /** The next free node port after the cursor, or undefined. */
  nextFreeNodePort(taken: ReadonlySet<number>): number | undefined {
    const size = NODE_PORT_RANGE.last - NODE_PORT_RANGE.first + 1;
    for (let i = 0; i < size; i++) {
      const port = NODE_PORT_RANGE.first + ((this.nextPort - NODE_PORT_RANGE.first + i) % size);
      if (!taken.has(port)) {
        this.nextPort = port + 1 > NODE_PORT_RANGE.last ? NODE_PORT_RANGE.first : port + 1;
        return port;
      }
    }
    return undefined;
  }
}

/** The allocations of one request (see {@link ServiceAllocator.view}). @internal */
export class AllocationView {
  constructor(
    private readonly alloc: ServiceAllocator,
    private readonly ips: Set<string>,
    private readonly ports: Set<number>,
  ) {}

  /** Why a requested ClusterIP cannot be had (`ipallocator` `ErrNotInRange` / `ErrAllocated`), or undefined (then it is taken). */
  takeIP(ip: string): string | undefined {
    const n = ipToInt(ip);
    // The network and broadcast addresses are outside the bitmap allocator's range too.
    if (n === undefined || n <= BASE || n >= BASE + SIZE - 1) {
      return `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`;
    }
    if (this.ips.has(ip)) return 'provided IP is already allocated';
    this.ips.add(ip);
    return undefined;
  }

  /** A free ClusterIP, or undefined when the range is full. */
  nextIP(): string | undefined {
    const ip = this.alloc.nextFreeIP(this.ips);
    if (ip !== undefined) this.ips.add(ip);
    return ip;
  }

  /** Why a requested node port cannot be had (`portallocator` errors), or undefined (then it is taken). */
  takeNodePort(port: number): string | undefined {
    if (port < NODE_PORT_RANGE.first || port > NODE_PORT_RANGE.last) {
      return `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.first}-${NODE_PORT_RANGE.last}`;
    }
    if (this.ports.has(port)) return 'provided port is already allocated';
    this.ports.add(port);
    return undefined;
  }

  /** A free node port, or undefined when the range is full. */
  nextNodePort(): number | undefined {
    const port = this.alloc.nextFreeNodePort(this.ports);
    if (port !== undefined) this.ports.add(port);
    return port;
  }
}
