/** Loopback ports of the local stack (one place; docs/components/stack.md lists them too). */
export const stackPorts = {
  mariadb: 13306,
  postgres: 15432,
  kafka: 19092,
  kafkaController: 19093,
  connect: 18083,
  temporal: 17233,
  temporalUi: 18233,
  unleash: 14242,
  victoriaMetrics: 18428,
  jaegerUi: 16686,
  jaegerQueryGrpc: 16685,
  otlpGrpc: 14317,
  otlpHttp: 14318,
  zipkin: 19411,
} as const;
export const stackHost = '127.0.0.1';
