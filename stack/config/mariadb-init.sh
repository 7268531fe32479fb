#!/bin/bash
# docker-compose only (`ficus stack up` makes the same users in stack/src/components/mariadb.ts):
# the Debezium user with the grants its MariaDB connector documents, and the proxy's shadow store
# (database and user ficus_proxy). The passwords come from the environment, never from this file.
set -euo pipefail
: "${FICUS_DEBEZIUM_PASSWORD:?set FICUS_DEBEZIUM_PASSWORD}"
: "${FICUS_PROXY_SHADOW_DB_PASSWORD:?set FICUS_PROXY_SHADOW_DB_PASSWORD}"
sql_string() { printf "'%s'" "${1//\'/\'\'}"; }
mariadb -uroot -p"${MARIADB_ROOT_PASSWORD}" <<SQL
CREATE USER IF NOT EXISTS 'debezium'@'%' IDENTIFIED BY $(sql_string "$FICUS_DEBEZIUM_PASSWORD");
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO 'debezium'@'%';
CREATE DATABASE IF NOT EXISTS ficus_proxy CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'ficus_proxy'@'%' IDENTIFIED BY $(sql_string "$FICUS_PROXY_SHADOW_DB_PASSWORD");
GRANT ALL PRIVILEGES ON ficus_proxy.* TO 'ficus_proxy'@'%';
SQL
