/**
 * The update plan: a pure state machine that sequences the steps of UpdateVersion requests, one
 * database at a time. Start at {@link io.pxops.events.plan.UpdatePlan}.
 *
 * <p>Nothing here does I/O, reads a clock or draws random numbers: time comes in as an argument and
 * ids from an {@link io.pxops.events.plan.IdSource}, so the same inputs always give the same
 * decision.
 */
package io.pxops.events.plan;
