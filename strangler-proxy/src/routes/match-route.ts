import type { RequestFacts, Route, RouteTable } from './route-table.ts';

/** First entry in table order whose method, path pattern and optional header all match. */
export const matchRoute = (req: Pick<RequestFacts, 'method' | 'path' | 'headers'>, table: RouteTable): Route | undefined => {
  for (const route of table.routes) {
    if (route.methods && !route.methods.has(req.method)) continue;
    if (!route.pathRegExp.test(req.path)) continue;
    if (route.header) {
      const v = req.headers[route.header.name];
      if (Array.isArray(v) ? !v.includes(route.header.value) : v !== route.header.value) continue;
    }
    return route;
  }
  return undefined;
};
