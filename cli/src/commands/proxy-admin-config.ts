import { productionSettings } from '@ficus/common';
import { readProxyConfig } from '@ficus/strangler-proxy';

/**
 * The proxy settings an operator's command reads to reach the admin API (host, port, token). With
 * FICUS_ENV=production it checks the admin token it sends, not the proxy's own secrets (its database
 * password, the service-auth secret), which the operator's shell need not hold.
 */
export const proxyAdminConfig = (env: NodeJS.ProcessEnv = process.env) => readProxyConfig(env, [productionSettings.proxyAdminToken]);
