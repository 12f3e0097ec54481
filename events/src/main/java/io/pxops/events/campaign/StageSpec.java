package io.pxops.events.campaign;

/**
 * One stage of a campaign.
 *
 * @param name the stage's name (a DNS-1123 label, unique in the campaign)
 * @param size how many databases it takes
 * @param maxConcurrent how many of its databases may update at once
 * @param gate what must happen before it starts
 */
public record StageSpec(String name, StageSize size, int maxConcurrent, Gate gate) {}
