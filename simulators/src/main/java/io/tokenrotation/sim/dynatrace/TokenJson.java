package io.tokenrotation.sim.dynatrace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import java.time.Instant;

/**
 * Token metadata as the two API versions render it. Unset optional values are left out rather than
 * sent as null (the contract says clients must accept both; leaving out is what the docs' examples
 * show for "never expires").
 */
final class TokenJson {
  private TokenJson() {}

  /** v2 ApiToken with the chosen fields. */
  static ObjectNode apiToken(StoredToken t, FieldSelection fields) {
    ObjectNode node = Json.object();
    node.put("id", t.id());
    if (fields.includes("name")) {
      node.put("name", t.name());
    }
    if (fields.includes("enabled")) {
      node.put("enabled", t.enabled());
    }
    if (fields.includes("personalAccessToken")) {
      node.put("personalAccessToken", t.personalAccessToken());
    }
    if (fields.includes("owner")) {
      node.put("owner", t.owner());
    }
    date(node, fields, "creationDate", t.creationDate());
    date(node, fields, "expirationDate", t.expirationDate());
    date(node, fields, "lastUsedDate", t.lastUsedDate());
    if (fields.includes("lastUsedIpAddress") && t.lastUsedIpAddress() != null) {
      node.put("lastUsedIpAddress", t.lastUsedIpAddress());
    }
    date(node, fields, "modifiedDate", t.modifiedDate());
    if (fields.includes("scopes")) {
      ArrayNode scopes = node.putArray("scopes");
      t.scopes().forEach(scopes::add);
    }
    // additionalMetadata only exists for dashboard/report sharing tokens, which this simulator does
    // not make.
    return node;
  }

  private static void date(ObjectNode node, FieldSelection fields, String name, Instant value) {
    if (fields.includes(name) && value != null) {
      node.put(name, ExpirationParser.format(value));
    }
  }

  /**
   * v1 TokenMetadata: dates as unix milliseconds, {@code revoked} is the inverse of v2's {@code
   * enabled}.
   */
  static ObjectNode tokenMetadata(StoredToken t) {
    ObjectNode node = Json.object();
    node.put("id", t.id());
    node.put("name", t.name());
    node.put("userId", t.owner());
    node.put("revoked", !t.enabled());
    node.put("created", t.creationDate().toEpochMilli());
    if (t.expirationDate() != null) {
      node.put("expires", t.expirationDate().toEpochMilli());
    }
    if (t.lastUsedDate() != null) {
      node.put("lastUse", t.lastUsedDate().toEpochMilli());
    }
    ArrayNode scopes = node.putArray("scopes");
    t.scopes().forEach(scopes::add);
    node.put("personalAccessToken", t.personalAccessToken());
    return node;
  }

  /** Admin view ({@code GET /__sim/tokens}): everything but the secret. */
  static ObjectNode admin(StoredToken t) {
    return apiToken(t, FieldSelection.all());
  }
}
