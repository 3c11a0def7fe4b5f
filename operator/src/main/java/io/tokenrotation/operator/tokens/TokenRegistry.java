package io.tokenrotation.operator.tokens;

import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenRotationStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token ids each resource holds (current, pending, retired, and a successor created a moment
 * ago), kept in memory by the workflow as it goes. The orphan sweep must not delete another
 * resource's token; the informer cache alone can lag behind a status write that just returned, this
 * registry cannot (only the leader reconciles).
 */
public final class TokenRegistry {
  private final Map<String, Set<String>> byResource = new ConcurrentHashMap<>();

  /** A token was just created for {@code resource}: protect it before its id reaches the status. */
  public void created(String resource, String tokenId) {
    byResource.computeIfAbsent(resource, r -> ConcurrentHashMap.newKeySet()).add(tokenId);
  }

  /** The resource's status as just stored: it now references exactly these ids. */
  public void stored(String resource, TokenRotationStatus status) {
    byResource.put(resource, idsOf(status));
  }

  public void forget(String resource) {
    byResource.remove(resource);
  }

  public Set<String> idsOfOthers(String resource) {
    Set<String> ids = new HashSet<>();
    byResource.forEach(
        (key, value) -> {
          if (!key.equals(resource)) {
            ids.addAll(value);
          }
        });
    return ids;
  }

  /** Every token id a status references. */
  public static Set<String> idsOf(TokenRotationStatus status) {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    if (status == null) {
      return ids;
    }
    Optional.ofNullable(status.getTokenId()).ifPresent(ids::add);
    PendingRotation pending = status.getPendingRotation();
    if (pending != null) {
      Optional.ofNullable(pending.getNewTokenId()).ifPresent(ids::add);
      Optional.ofNullable(pending.getOldTokenId()).ifPresent(ids::add);
    }
    Optional.ofNullable(status.getRetiredTokens()).orElse(List.of()).stream()
        .map(RetiredToken::getId)
        .forEach(ids::add);
    return ids;
  }
}
