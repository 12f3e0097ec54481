/**
 * The coordinator (sequences steps per database) and the runners that act on Kubernetes through fabric8.
 * Built in its own issue.
 */
package io.pxops.steprunners;
