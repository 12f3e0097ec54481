/**
 * The status projector: a Kafka Streams application that folds the lifecycle log ({@code
 * pxops.events}) into the status of every ops request and database, serves it over HTTP with
 * interactive queries, publishes every changed request status to the compacted {@code pxops.status}
 * topic, and writes it back to the {@code PerconaXtraDBOpsRequest} objects' {@code .status}.
 *
 * <p>Packages by role: {@code projection} (the topology, its processors and serdes), {@code http}
 * (the API and the routing of interactive queries between instances), {@code k8s} (the write-back).
 * {@link io.pxops.statusprojector.StatusProjector} wires them; {@link
 * io.pxops.statusprojector.ProjectorMain} runs it as a process.
 */
package io.pxops.statusprojector;
