// What tspod and its DNS server (dnsd/main.ts) agree on: one JSON file per network in the records
// directory, written by the engine whenever a container on that network starts, stops, connects or
// disconnects (atomically: a temporary name, then a rename), and re-read by the server on each
// change; the file `bound` the server writes listing the addresses it listens on. Imports
// nothing: the server loads this and little else.

/** The search domain of names on networks with DNS (Podman's). */
export const DNS_DOMAIN = 'dns.podman';

/** A network's file, <records dir>/<network>.json. */
export interface NetworkRecords {
  network: string;
  /** The address the server listens on (port 53): the network's gateway. */
  gateway: string;
  /** Where other queries go (the resolvers the containers would otherwise have); none: refused. */
  upstream: string[];
  /** Each running container on the network: its names there (name, aliases, short ID) and addresses. */
  records: Array<{ names: string[]; ipv4: string[]; ipv6: string[] }>;
}

/** Written by the server after each reload: the gateways it listens on, one a line. */
export const BOUND_FILE = 'bound';
/** The server's pid, written by the engine that started it. */
export const PID_FILE = 'dnsd.pid';

export const isRecordsFile = (name: string) => name.endsWith('.json') && !name.startsWith('.');
