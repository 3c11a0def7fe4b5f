package io.tokenrotation.sim.vault;

/** A Kubernetes service account as a verified JWT names it. */
public record ServiceAccountIdentity(String namespace, String name, String uid) {}
