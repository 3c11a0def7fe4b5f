package io.tokenrotation.sim.kubernetes;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mock API server's object store (attribute set -> JSON), plus an index by object name. The
 * Fabric8 mock finds one object by scanning every stored object, so each GET/PUT/POST of one object
 * cost O(N) on the mock's single event-loop thread; a real API server looks objects up by key. With
 * a thousand TokenRotations and their events that scan was most of the benchmark's time, i.e. the
 * benchmark measured the mock, not the operator.
 *
 * <p>Same semantics as the mock's own {@code Collections.synchronizedMap(new LinkedHashMap<>())}:
 * insertion order, every operation synchronized. Iteration ({@link #entrySet()}) works on a
 * snapshot, so a reader never sees a concurrent modification; the snapshot is read-only (the mock
 * only mutates through put/remove/clear).
 */
final class NameIndexedStore extends AbstractMap<AttributeSet, String> {
  private static final String NAME = "name";

  private final Map<AttributeSet, String> objects = new LinkedHashMap<>();
  private final Map<String, Set<AttributeSet>> byName = new HashMap<>();

  /**
   * The stored entries whose key matches {@code query}; null when the query names no single object.
   */
  synchronized List<Map.Entry<AttributeSet, String>> findByName(AttributeSet query) {
    String name = nameOf(query);
    if (name == null) {
      return null;
    }
    List<Map.Entry<AttributeSet, String>> found = new ArrayList<>(1);
    for (AttributeSet key : byName.getOrDefault(name, Set.of())) {
      if (key.matches(query)) {
        found.add(Map.entry(key, objects.get(key)));
      }
    }
    return found;
  }

  /**
   * The value of an equality condition on the name, or null (no name, or another kind of
   * condition).
   */
  static String nameOf(AttributeSet set) {
    Attribute name = set.getAttribute(NAME);
    if (name == null || name.getType() != AttributeType.WITH || name.getValues().size() != 1) {
      return null;
    }
    return name.getValues().get(0).toString();
  }

  @Override
  public synchronized String put(AttributeSet key, String value) {
    String previous = objects.put(key, value);
    String name = nameOf(key);
    if (name != null) {
      byName.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(key);
    }
    return previous;
  }

  @Override
  public synchronized String remove(Object key) {
    String previous = objects.remove(key);
    if (previous != null && key instanceof AttributeSet set) {
      String name = nameOf(set);
      Set<AttributeSet> keys = name == null ? null : byName.get(name);
      if (keys != null) {
        keys.remove(set);
        if (keys.isEmpty()) {
          byName.remove(name);
        }
      }
    }
    return previous;
  }

  @Override
  public synchronized String get(Object key) {
    return objects.get(key);
  }

  @Override
  public synchronized boolean containsKey(Object key) {
    return objects.containsKey(key);
  }

  @Override
  public synchronized int size() {
    return objects.size();
  }

  @Override
  public synchronized void clear() {
    objects.clear();
    byName.clear();
  }

  @Override
  public synchronized Set<Map.Entry<AttributeSet, String>> entrySet() {
    Set<Map.Entry<AttributeSet, String>> snapshot = new LinkedHashSet<>();
    objects.forEach((k, v) -> snapshot.add(Map.entry(k, v)));
    return Collections.unmodifiableSet(snapshot);
  }
}
