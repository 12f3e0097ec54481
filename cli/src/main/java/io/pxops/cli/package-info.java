/**
 * {@code pxops}, the command line: {@link io.pxops.cli.PxopsMain} and one class per subcommand. It talks to the
 * services the way any client would — the ingest's and the projector's HTTP APIs, the Kafka topics, Kubernetes —
 * and never calls service code.
 */
package io.pxops.cli;
