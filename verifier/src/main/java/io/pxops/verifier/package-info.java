/** The Galera checks over JDBC, as a service that answers verify commands. Built in its own issue. */
package io.pxops.verifier;
