/** The {@code pxops} command line. Built in its own issue. */
package io.pxops.cli;
