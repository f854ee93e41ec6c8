-- One database per service on one PostgreSQL server, each owned by the service's own role: no superuser, no
-- CREATEDB or CREATEROLE, and no other service's role may connect to it. The outbox relay's role has REPLICATION
-- and may connect to the four databases with an outbox; what it may read there (the outbox, its heartbeat and its
-- position, nothing else) each service's migration grants (platform-messaging's R__relay_grants.sql). The services'
-- Flyway migrations create their tables, outbox and publication.
--
-- Run once, as the superuser, on an empty data volume: by the postgres image's entrypoint (docker-compose.yml) and
-- from the ConfigMap postgres-init (k8s/base/postgres/postgres.yaml, the same text). The passwords come from the
-- server's environment through psql's \getenv (PostgreSQL 15+); if one is unset the script stops before it creates
-- anything.
\set ON_ERROR_STOP on
\getenv order_service_password ORDER_SERVICE_DB_PASSWORD
\getenv payment_service_password PAYMENT_SERVICE_DB_PASSWORD
\getenv inventory_service_password INVENTORY_SERVICE_DB_PASSWORD
\getenv saga_orchestrator_password SAGA_ORCHESTRATOR_DB_PASSWORD
\getenv payment_gateway_password PAYMENT_GATEWAY_DB_PASSWORD
\getenv outbox_relay_password OUTBOX_RELAY_DB_PASSWORD
\getenv saga_console_password SAGA_CONSOLE_DB_PASSWORD
SELECT :{?order_service_password} AND :{?payment_service_password} AND :{?inventory_service_password}
   AND :{?saga_orchestrator_password} AND :{?payment_gateway_password} AND :{?outbox_relay_password}
   AND :{?saga_console_password} AS passwords_set \gset
\if :passwords_set
\else
    DO $$ BEGIN RAISE EXCEPTION 'set ORDER_SERVICE_DB_PASSWORD, PAYMENT_SERVICE_DB_PASSWORD, INVENTORY_SERVICE_DB_PASSWORD, '
        'SAGA_ORCHESTRATOR_DB_PASSWORD, PAYMENT_GATEWAY_DB_PASSWORD, OUTBOX_RELAY_DB_PASSWORD and SAGA_CONSOLE_DB_PASSWORD'; END $$;
\endif

CREATE ROLE order_service LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'order_service_password';
CREATE ROLE payment_service LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'payment_service_password';
CREATE ROLE inventory_service LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'inventory_service_password';
CREATE ROLE saga_orchestrator LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'saga_orchestrator_password';
CREATE ROLE payment_gateway LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'payment_gateway_password';
CREATE ROLE saga_console LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'saga_console_password';
CREATE ROLE outbox_relay LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE REPLICATION PASSWORD :'outbox_relay_password';

CREATE DATABASE order_service OWNER order_service;
CREATE DATABASE payment_service OWNER payment_service;
CREATE DATABASE inventory_service OWNER inventory_service;
CREATE DATABASE saga_orchestrator OWNER saga_orchestrator;
CREATE DATABASE payment_gateway OWNER payment_gateway;
CREATE DATABASE saga_console OWNER saga_console;

REVOKE ALL ON DATABASE order_service, payment_service, inventory_service, saga_orchestrator, payment_gateway, saga_console FROM PUBLIC;
GRANT CONNECT ON DATABASE order_service, payment_service, inventory_service, saga_orchestrator TO outbox_relay;
