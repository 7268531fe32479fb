/**
 * Stable codes the CDC package raises, answers (`/positions/…` on the CDC process) or writes on its
 * dead letters. `status` is the HTTP status where a code crosses HTTP, else where it surfaces
 * (`start`, `run`, `workflow`, `dead-letter`). The docs page (docs/components/cdc.md, "## Error codes")
 * lists the same set; a test keeps them in step.
 */
export const cdcErrorCodes = {
  CDC_POSITION_INVALID: { status: 400, meaning: '`/positions/applied` without `pipeline` or `position`, or a position that is not a MariaDB GTID position (`domain-server-seq[,…]`)' },
  CDC_UNKNOWN_PIPELINE: { status: 404, meaning: 'no running pipeline with that name or domain' },
  CDC_POSITION_UNAVAILABLE: { status: 503, meaning: 'the checker could not read the connector offsets or the partitions (Kafka, Kafka Connect or a database away)' },
  CDC_EVENT_MALFORMED: { status: 'dead-letter', meaning: 'not a Debezium change event: not JSON, not the event schema, or no row image for its operation' },
  CDC_MAPPING_FAILED: { status: 'dead-letter', meaning: 'the row does not fit the mapping: an unknown column after a DDL, a value the target cannot hold' },
  CDC_SOURCE_UNAVAILABLE: { status: 'run', meaning: 'a synced database is not reachable or does not exist when the CDC is provisioned (`ficus cdc connect`, `node cdc/src/provision.ts`, the CDC\'s start)' },
  CDC_NOT_PROVISIONED: { status: 'start', meaning: 'the CDC\'s tables or its MariaDB user\'s grants are missing or outdated: run `node cdc/src/provision.ts` (or start with `CDC_PROVISION_ON_START=true`)' },
  CDC_CONNECTOR_FAILED: { status: 'run', meaning: 'a connector task failed again after one restart' },
  CONNECT_REQUEST_FAILED: { status: 'run', meaning: 'the Kafka Connect REST API answered an error (retriable on 5xx and 409)' },
  CDC_TOPOLOGY_INVALID: { status: 'run', meaning: 'a pipeline\'s stream topic cannot be derived from the topology; the pipeline does not start' },
  CDC_TARGET_NOT_READY: { status: 'run', meaning: 'a pipeline\'s target table or database does not exist yet, or is not granted to the CDC\'s user: start its service once (it applies its schema), then provision the CDC' },
  CDC_UNKNOWN_CONNECTOR: { status: 'run', meaning: '`ficus cdc snapshot` names no known connector' },
  CDC_TABLE_NOT_CAPTURED: { status: 'run', meaning: '`ficus cdc snapshot` names a table its connector does not capture' },
  CDC_DIRECTIONS_NOT_APPLIED: { status: 'workflow', meaning: 'the CDC process did not apply a directions change in time: is it running? (retriable)' },
} as const;
export type CdcErrorCode = keyof typeof cdcErrorCodes;
