import type { RouteTable } from '../routes/route-table.ts';
import type { RequestHead } from './http1-head.ts';

/** The values of the headers a route table matches on, by lower-case name. */
export type RouteHeaders = Readonly<Record<string, string | undefined>>;

const noHeaders: RouteHeaders = Object.freeze({});

/** Reads, per request, the header values the route table matches on (most tables have none: no object then). */
export const routeHeaderReader = (table: RouteTable): ((head: RequestHead) => RouteHeaders) => {
  const headerNames = [...new Set(table.routes.flatMap((r) => (r.header ? [r.header.name] : [])))];
  return (head) => {
    if (!headerNames.length) return noHeaders;
    const out: Record<string, string | undefined> = {};
    for (const name of headerNames) out[name] = head.header(name);
    return out;
  };
};
