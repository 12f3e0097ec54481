/**
 * The verifier: the Galera checks of docs/architecture.md ("The rolling update") over JDBC, as a service that answers {@code VerifyCluster}
 * and {@code VerifyPod}. {@link io.pxops.verifier.NodeProbe} reads a node, {@link io.pxops.verifier.ClusterCheck}
 * judges what was read (pure), {@link io.pxops.verifier.GaleraVerifier} holds a verdict over consecutive polls.
 */
package io.pxops.verifier;
