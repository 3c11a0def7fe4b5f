package io.tokenrotation.sim.kubernetes;

import java.time.Instant;

/**
 * One request the embedded API server received: what an RBAC audit needs (no bodies, no
 * credentials).
 */
public record KubeRequest(
    Instant time, String method, String path, String query, String userAgent) {}
