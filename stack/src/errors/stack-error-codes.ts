/**
 * Stable codes the local stack manager raises (`ficus stack up`, and every command that starts the
 * stack). None crosses HTTP: `status` is `run`, the CLI prints `ficus: <code>: <message>` and exits 2.
 * The docs page (docs/components/stack.md, "## Error codes") lists the same set; a test keeps them in step.
 */
export const stackErrorCodes = {
  STACK_UNKNOWN_COMPONENT: { status: 'run', meaning: 'a component name the stack does not have' },
  PORT_IN_USE: { status: 'run', meaning: 'a component\'s port is taken by another process (named with the port)' },
  COMPONENT_DIED: { status: 'run', meaning: 'a component exited while starting (with the end of its log and the log path)' },
  COMPONENT_START_TIMEOUT: { status: 'run', meaning: 'a component was not healthy before its deadline (what was expected, the last check)' },
  COMPONENT_INIT_FAILED: { status: 'run', meaning: 'a first start could not initialise a data folder (mariadb-install-db, initdb, kafka-storage format) or create its users or databases' },
  DEPENDENCY_MISSING: { status: 'run', meaning: 'a tool is missing and cannot be installed here (not root, no apt-get, no Go, Python or cargo)' },
  INSTALL_FAILED: { status: 'run', meaning: 'installing a dependency failed (apt-get, Maven, go install, pip, cargo, npm ci), with the command\'s last lines' },
} as const;
export type StackErrorCode = keyof typeof stackErrorCodes;
