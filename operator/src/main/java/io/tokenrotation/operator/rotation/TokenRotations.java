package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.tokens.TokenRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the rotation code names and reads a TokenRotation: its key, its rotate request, its jitter
 * key.
 */
final class TokenRotations {
  private TokenRotations() {}

  static Set<String> tokenIdsOfOthers(TokenRotation self, List<TokenRotation> all) {
    Set<String> ids = new HashSet<>();
    for (TokenRotation other : all) {
      if (!key(other).equals(key(self))) {
        ids.addAll(TokenRegistry.idsOf(other.getStatus()));
      }
    }
    return ids;
  }

  static String annotation(TokenRotation resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(TokenRotation.ROTATE_REQUESTED_AT);
  }

  /**
   * Spreads retries of resources that failed together (the uid differs even for equal names over
   * time).
   */
  static String jitterKey(TokenRotation r) {
    return r.getMetadata().getUid() != null ? r.getMetadata().getUid() : key(r);
  }

  static String key(TokenRotation r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }
}
