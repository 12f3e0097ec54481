/**
 * The edge of pxops: the HTTP API, the watcher of {@code PerconaXtraDBOpsRequest} objects and the
 * {@code pxops.requests} topic; validates and admits update requests. Built in its own issue.
 */
package io.pxops.requestingest;
