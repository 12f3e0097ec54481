/**
 * Campaigns: one object that updates many databases, in stages, under a failure budget and
 * maintenance windows. Start at {@link io.pxops.events.campaign.CampaignDecider}.
 *
 * <p>Like the update plan, nothing here does I/O, reads a clock or draws random numbers: time
 * arrives as an argument, so tests control it. The pieces:
 *
 * <ul>
 *   <li>{@link io.pxops.events.campaign.CampaignSpec}: what the user asks for (selection, target,
 *       stages, failure budget, window), checked by {@link
 *       io.pxops.events.campaign.CampaignSpecValidation};
 *   <li>{@link io.pxops.events.campaign.CampaignPlanner}: which databases, in which stage and
 *       order, with which target and window, and which admission would refuse;
 *   <li>{@link io.pxops.events.campaign.CampaignDecider}: the state machine ({@code decide} and
 *       {@code evolve}) that starts member updates stage by stage;
 *   <li>{@link io.pxops.events.campaign.MaintenanceWindow}: weekdays with time ranges, dates and a
 *       time zone; intersections of them.
 * </ul>
 */
package io.pxops.events.campaign;
