/** Kafka Streams projection of the lifecycle log into request and database status. Built in its own issue. */
package io.pxops.statusprojector;
