-- The Debezium user and the grants its MariaDB connector documents (docker-compose only;
-- `ficus stack up` creates the same user in stack/src/components/mariadb.ts).
CREATE USER IF NOT EXISTS 'debezium'@'%' IDENTIFIED BY 'ficus-debezium';
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO 'debezium'@'%';
