// The cockpit's web server: sign-in, the page and its assets, the JSON API. Pages send a strict
// Content-Security-Policy (scripts and styles from this origin only); everything shown is rendered
// by Preact, which escapes text, from JSON.
import { timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { expressErrorHandler, type Logger } from '@ficus/common/core';
import { cookieOf, createSessions, sessionCookie } from './sign-in/sessions.ts';
import { createCockpitApi, type CockpitSources } from './api/cockpit-api.ts';
import type { MetricHistory } from './history/metric-history.ts';
import { cockpitError } from './errors/cockpit-error-codes.ts';

export interface CockpitAppOptions {
  sources: CockpitSources;
  history: MetricHistory;
  historyIntervalMs: number;
  /** The admin token: mints sign-in links (bearer) and keys the session cookies. */
  adminToken: string;
  sessionMs: number;
  /** Where people open the cockpit (sign-in links point there). */
  publicUrl: () => string;
  log: Logger;
  /** Who the audit log names for the cockpit's controls. */
  actor?: string;
  /** A Zipkin UI with the same traces: the trace view links there. */
  zipkinUiUrl?: string;
}

const web = fileURLToPath(new URL('../web/', import.meta.url));
const resolve = (specifier: string) => fileURLToPath(import.meta.resolve(specifier));
/** Front-end libraries, served from their npm packages as they ship (no bundler). */
const vendor: Record<string, string> = {
  'htm-preact.mjs': resolve('htm/preact/standalone'),
  'uplot.mjs': resolve('uplot/dist/uPlot.esm.js'),
  'uplot.css': resolve('uplot/dist/uPlot.min.css'),
};

export const createCockpitApp = (o: CockpitAppOptions): Express => {
  const sessions = createSessions({ secret: o.adminToken, sessionMs: o.sessionMs });
  const expected = Buffer.from(`Bearer ${o.adminToken}`);
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"],
        fontSrc: ["'self'"], objectSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"], frameAncestors: ["'none'"],
      },
    },
    // a local tool on plain http: no HSTS
    strictTransportSecurity: false,
  }));
  app.use((_req, res, next) => { res.set('cache-control', 'no-store'); next(); });
  app.get('/health', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/favicon.ico', (_req, res) => { res.status(204).end(); });

  // SECURITY: sign-in links are minted with the admin token (the CLI and `ficus demo` hold it)
  app.post('/api/sign-in-links', (req, res) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (!(given.length === expected.length && timingSafeEqual(given, expected))) throw cockpitError('COCKPIT_UNAUTHORIZED', 'expected Authorization: Bearer <FICUS_PROXY_ADMIN_TOKEN>');
    const { code, expiresAt } = sessions.mintCode();
    res.status(201).json({ url: `${o.publicUrl()}/sign-in?code=${encodeURIComponent(code)}`, expiresAt });
  });
  app.get('/sign-in', (req, res) => {
    const session = sessions.redeem(req.query.code);
    if (!session) { res.status(401).set('x-ficus-error-code', 'COCKPIT_SIGN_IN_LINK_INVALID').sendFile('signed-out.html', { root: web }); return; }
    res.cookie(sessionCookie, session.value, { httpOnly: true, sameSite: 'strict', path: '/', maxAge: session.maxAgeSeconds * 1000 });
    res.redirect(303, '/');
  });
  for (const [name, file] of Object.entries(vendor)) app.get(`/vendor/${name}`, (_req, res) => { res.type(name.endsWith('.css') ? 'text/css' : 'text/javascript').sendFile(file); });
  app.get(['/app.js', '/cockpit.css', '/views/:file'], (req, res, next) => {
    const file = req.path.slice(1);
    if (!/^(views\/)?[\w-]+\.(js|css)$/.test(file)) return next();
    res.sendFile(file, { root: web });
  });

  const signedIn: RequestHandler = (req, res, next) => {
    if (sessions.valid(cookieOf(req.headers.cookie, sessionCookie))) return next();
    if (req.path.startsWith('/api/')) return next(cockpitError('COCKPIT_SIGN_IN_REQUIRED', 'sign in first: open a link from `./ficus cockpit link`'));
    res.status(401).set('x-ficus-error-code', 'COCKPIT_SIGN_IN_REQUIRED').sendFile('signed-out.html', { root: web });
  };
  /** SECURITY: controls only from this origin's page, as JSON (a form on another site can send neither). */
  const sameOrigin: RequestHandler = (req, _res, next) => {
    if (req.method === 'GET') return next();
    const origin = req.headers.origin;
    const host = req.headers.host;
    if (!req.is('application/json') || (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`)) {
      return next(cockpitError('COCKPIT_FORBIDDEN_ORIGIN', 'controls are accepted only as JSON from the cockpit page itself'));
    }
    next();
  };
  app.use(signedIn);
  app.get('/', (_req, res) => { res.sendFile('index.html', { root: web }); });
  app.use('/api', sameOrigin, createCockpitApi({ sources: o.sources, history: o.history, historyIntervalMs: o.historyIntervalMs, actor: o.actor ?? 'cockpit', zipkinUiUrl: o.zipkinUiUrl }));
  app.use((req, _res, next) => next(cockpitError('COCKPIT_NOT_FOUND', `no ${req.method} ${req.path}`)));
  app.use(expressErrorHandler(o.log));
  return app;
};
