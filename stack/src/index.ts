export { stackUp, stackDown, stackStatus, stackEnvironment, componentNames, keepComponentUp, type ComponentStatus } from './stack-manager.ts';
export { paths, repoRoot, logFile } from './paths.ts';
export { stackPorts, stackHost } from './ports.ts';
export { debeziumUser } from './components/mariadb.ts';
export { debeziumConnectorClass } from './components/connect.ts';
export { ensureChromium, ensureDebianPackages, ensureGoHttpbin, ensureOha, ensureRedbot, goHttpbinVersion, redbotVersion } from './install.ts';
export { isAlive } from './process-utils.ts';
export { stackErrorCodes } from './errors/stack-error-codes.ts';
export { startLoadBalancer, loadBalancerConfig, type LoadBalancer, type LoadBalancerOptions } from './load-balancer.ts';
