package io.tokenrotation.operator.rotation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Token ids Dynatrace confirmed gone (a DELETE answered, 404 included). Dynatrace never reuses an
 * id, so a second DELETE of one is never needed: a recovery or retirement repeated after a lost
 * status write (409) skips it. In memory only and bounded; after a restart the first repeat costs
 * one DELETE again.
 */
final class GoneTokens {
  private static final int CAPACITY = 10_000;

  private final Set<String> ids =
      Collections.newSetFromMap(
          Collections.synchronizedMap(
              new LinkedHashMap<String, Boolean>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > CAPACITY;
                }
              }));

  boolean contains(String id) {
    return ids.contains(id);
  }

  void add(String id) {
    ids.add(id);
  }
}
