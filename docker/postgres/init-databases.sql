-- One database per service on one PostgreSQL server (run once, on an empty data volume).
-- The services' Flyway migrations create their tables, outbox and publication.
CREATE DATABASE order_service;
CREATE DATABASE payment_service;
CREATE DATABASE inventory_service;
CREATE DATABASE saga_orchestrator;
CREATE DATABASE payment_gateway;
