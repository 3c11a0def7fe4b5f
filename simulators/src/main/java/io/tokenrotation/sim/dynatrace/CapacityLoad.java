package io.tokenrotation.sim.dynatrace;

/**
 * Under {@link Throttling.Capacity}: requests being processed and waiting in the queue now, and the
 * 429s given since the throttling was configured because the queue was full or a request waited
 * past the queue time-out.
 */
public record CapacityLoad(
    int processing, int queued, long refusedQueueFull, long refusedQueueTimeout) {}
