import type { Command } from 'commander';
import { FicusError } from '@ficus/common';
import { demoUrls, proxyAdminToken } from '../demo/demo-apps.ts';

/** A one-time sign-in link from a running cockpit (minted with the admin token, which never goes in a URL). */
export const mintCockpitLink = async (cockpitUrl = process.env.FICUS_COCKPIT_URL ?? demoUrls.cockpit): Promise<{ url: string; expiresAt: string }> => {
  let res: Response;
  try {
    res = await fetch(new URL('/api/sign-in-links', cockpitUrl), { method: 'POST', headers: { authorization: `Bearer ${proxyAdminToken}` }, signal: AbortSignal.timeout(5_000) });
  } catch (e) {
    throw new FicusError('COCKPIT_UNAVAILABLE', `no cockpit answers at ${cockpitUrl} (${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message}); ./ficus demo starts it`);
  }
  const body = (await res.json().catch(() => ({}))) as { url?: string; expiresAt?: string; error?: { code: string; message: string } };
  if (!res.ok || !body.url) throw new FicusError(body.error?.code ?? 'COCKPIT_UNAVAILABLE', `the cockpit refused a sign-in link: ${body.error?.message ?? `HTTP ${res.status}`}`);
  return { url: body.url, expiresAt: body.expiresAt ?? '' };
};

export const registerCockpit = (program: Command): void => {
  const cockpit = program.command('cockpit').description('the engineers\' web cockpit (routes, shadow differences, charts, migrations)');
  cockpit.command('link')
    .description('print a one-time sign-in link to the cockpit (works once, for ten minutes)')
    .option('--url <url>', 'the cockpit (default FICUS_COCKPIT_URL or the demo\'s)')
    .option('--json', 'print { url, expiresAt } as JSON')
    .action(async (o: { url?: string; json?: boolean }) => {
      const link = await mintCockpitLink(o.url);
      console.log(o.json ? JSON.stringify(link) : link.url);
    });
};
