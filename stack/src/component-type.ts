export interface Health {
  ok: boolean;
  detail: string;
}

/** One piece of the local stack. `up` installs, starts and health-waits each, in dependency order. */
export interface Component {
  name: string;
  /** Ports it listens on (checked before start; a foreign listener is PORT_IN_USE). */
  ports: number[];
  dependsOn: string[];
  /** Shown by `status`: how a person reaches it. */
  url: string;
  startTimeoutMs: number;
  /** Installs what is missing; cheap when everything is there. */
  install(): Promise<void>;
  /** Prepares data (first run) and spawns the process; returns its pid. */
  start(): Promise<number>;
  /** Extra setup after the first healthy start (users, databases); idempotent. */
  afterStart?(): Promise<void>;
  health(): Promise<Health>;
  /** The pid `up` recorded, if any. */
  pid(): number | undefined;
  stop(): Promise<void>;
}
