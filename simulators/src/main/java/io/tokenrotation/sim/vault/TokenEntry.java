package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One issued token. Everything but the lease (ttl/expiry) is fixed at issue; renewals replace the
 * lease atomically. {@link #toString()} never shows the token itself.
 */
final class TokenEntry {
  private final String id;
  private final String accessor;
  private final String namespace;
  private final List<String> policies;
  private final Map<String, String> metadata;
  private final String path;
  private final String displayName;
  private final String entityId;
  private final boolean renewable;
  private final boolean orphan;
  private final Instant issued;
  private final Duration creationTtl;
  private volatile Lease lease;

  /** expires == null: never (ttl 0, like the root token). */
  private record Lease(Duration ttl, Instant expires) {}

  TokenEntry(
      String id,
      String accessor,
      String namespace,
      List<String> policies,
      Map<String, String> metadata,
      String path,
      String displayName,
      String entityId,
      boolean renewable,
      boolean orphan,
      Instant issued,
      Duration ttl) {
    this.id = id;
    this.accessor = accessor;
    this.namespace = namespace;
    this.policies = List.copyOf(policies);
    this.metadata = Map.copyOf(metadata);
    this.path = path;
    this.displayName = displayName;
    this.entityId = entityId;
    this.renewable = renewable;
    this.orphan = orphan;
    this.issued = issued;
    this.creationTtl = ttl;
    this.lease = new Lease(ttl, ttl.isZero() ? null : issued.plus(ttl));
  }

  String id() {
    return id;
  }

  String accessor() {
    return accessor;
  }

  String namespace() {
    return namespace;
  }

  List<String> policies() {
    return policies;
  }

  boolean isRoot() {
    return policies.contains("root");
  }

  boolean renewable() {
    return renewable;
  }

  boolean expired(Instant now) {
    Instant expires = lease.expires();
    return expires != null && !now.isBefore(expires);
  }

  long ttlSeconds(Instant now) {
    Instant expires = lease.expires();
    return expires == null ? 0 : Math.max(0, Duration.between(now, expires).getSeconds());
  }

  /**
   * Extends the lease to now + increment (or the token's original TTL when no increment is asked
   * for).
   */
  void renew(Instant now, Duration increment) {
    Duration ttl = increment.isZero() || increment.isNegative() ? creationTtl : increment;
    lease = new Lease(ttl, ttl.isZero() ? null : now.plus(ttl));
  }

  /** The {@code auth} block of login and renew responses (reference §4). */
  ObjectNode authBlock(Instant now) {
    ObjectNode auth = Json.object();
    auth.put("client_token", id);
    auth.put("accessor", accessor);
    ArrayNode p = auth.putArray("policies");
    policies.forEach(p::add);
    ArrayNode tp = auth.putArray("token_policies");
    policies.forEach(tp::add);
    ObjectNode meta = auth.putObject("metadata");
    metadata.forEach(meta::put);
    auth.put("lease_duration", ttlSeconds(now));
    auth.put("renewable", renewable);
    auth.put("entity_id", entityId);
    auth.put("token_type", "service");
    auth.put("orphan", orphan);
    auth.putNull("mfa_requirement");
    auth.put("num_uses", 0);
    return auth;
  }

  /** The {@code data} of lookup-self (reference §4). */
  ObjectNode lookupData(Instant now) {
    ObjectNode data = Json.object();
    data.put("accessor", accessor);
    data.put("creation_time", issued.getEpochSecond());
    data.put("creation_ttl", creationTtl.getSeconds());
    data.put("display_name", displayName);
    data.put("entity_id", entityId);
    Instant expires = lease.expires();
    if (expires == null) {
      data.putNull("expire_time");
    } else {
      data.put("expire_time", GoFormats.rfc3339Nano(expires));
    }
    data.put("explicit_max_ttl", 0);
    data.put("id", id);
    data.putArray("identity_policies");
    data.put("issue_time", GoFormats.rfc3339Nano(issued));
    if (metadata.isEmpty()) {
      data.putNull("meta");
    } else {
      ObjectNode meta = data.putObject("meta");
      metadata.forEach(meta::put);
    }
    data.put("num_uses", 0);
    data.put("orphan", orphan);
    data.put("path", path);
    ArrayNode p = data.putArray("policies");
    policies.forEach(p::add);
    data.put("renewable", renewable);
    data.put("ttl", ttlSeconds(now));
    data.put("type", "service");
    return data;
  }

  @Override
  public String toString() {
    return "TokenEntry[accessor="
        + accessor
        + ", namespace="
        + namespace
        + ", policies="
        + policies
        + "]";
  }
}
