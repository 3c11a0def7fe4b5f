package io.tokenrotation.operator.status;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which core/v1 Event object a repeat of an event belongs to, so that a failing resource updates
 * one Event ({@code count}, {@code lastTimestamp}: "(x100 over 2h)" in {@code kubectl describe})
 * instead of creating a new object per attempt — what client-go's EventCorrelator does for the
 * Kubernetes components.
 *
 * <p>Memory is bounded: at most {@link #MAX_KEYS} keys, least recently used evicted first
 * (client-go's cache has the same size). A key holds at most 1,024 characters of message, so even a
 * full cache stays within a few megabytes. With more keys in play than that (10,000 failing
 * resources), a key evicted before its resource's next attempt only costs one new Event object for
 * that attempt: still at most one new object per resource per backoff step.
 *
 * <p>Thread-safe. The map is only touched under its own monitor, for a look-up or an insertion,
 * never across an HTTP call; each {@link Series} is the lock for its key, which {@link
 * KubernetesEventPublisher} holds while it writes that key's Event, so concurrent identical events
 * of one resource go one after the other and create one object, while different keys never wait for
 * each other.
 */
final class EventAggregator {
  /**
   * A repeat less than this after the previous occurrence updates the same Event; a later one
   * starts a new object. Longer than client-go's ten minutes on purpose: the longest backoff step
   * is ten minutes, so a resource failing for hours keeps one Event object per failure instead of
   * starting a new one at every step.
   */
  static final Duration WINDOW = Duration.ofMinutes(15);

  /**
   * client-go's LRU size (maxLruCacheEntries): a few thousand keys, below the 10,000 resources one
   * operator runs.
   */
  static final int MAX_KEYS = 4096;

  /**
   * What makes two events "the same": the object (uid tells a recreated one apart), kind, type,
   * reason, message.
   */
  record Key(
      String namespace,
      String name,
      String uid,
      String kind,
      String type,
      String reason,
      String message) {}

  private final int maxKeys;
  private final Map<Key, Series> recent;

  EventAggregator() {
    this(MAX_KEYS);
  }

  /** A smaller bound, for tests of the eviction. */
  EventAggregator(int maxKeys) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1");
    }
    this.maxKeys = maxKeys;
    // access order: a key used again moves to the young end, so a resource that keeps failing keeps
    // its key
    this.recent =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, Series> eldest) {
            return size() > EventAggregator.this.maxKeys;
          }
        };
  }

  /**
   * The series of {@code key}, a new empty one if the key is unknown or was evicted. The caller
   * synchronizes on it for everything it does with it.
   */
  Series seriesFor(Key key) {
    Objects.requireNonNull(key, "key");
    synchronized (recent) {
      return recent.computeIfAbsent(key, k -> new Series());
    }
  }

  int size() {
    synchronized (recent) {
      return recent.size();
    }
  }

  /**
   * One Event object and the occurrences it stands for. Not thread-safe by itself: guarded by its
   * own monitor (see {@link EventAggregator}).
   */
  static final class Series {
    private String eventName;
    private Instant first;
    private Instant last;
    private int count;
    private boolean stored;

    /**
     * Records one occurrence at {@code now}: a repeat of the current object, or the first of a new
     * object named {@code newName} (the very first occurrence, or the first after {@link #WINDOW}
     * without a repeat).
     */
    void observe(Instant now, Supplier<String> newName) {
      if (eventName == null || Duration.between(last, now).compareTo(WINDOW) >= 0) {
        restart(now, newName.get());
        return;
      }
      count++;
      // a clock set back must not make the Event look older than it is
      last = now.isAfter(last) ? now : last;
    }

    /**
     * Starts a new object with this occurrence as its first (the old one expired, was deleted or is
     * too old).
     */
    void restart(Instant now, String newName) {
      eventName = newName;
      first = now;
      last = now;
      count = 1;
      stored = false;
    }

    /** The API server has the object (created or updated): from now on repeats update it. */
    void markStored() {
      stored = true;
    }

    boolean stored() {
      return stored;
    }

    String eventName() {
      return eventName;
    }

    Instant first() {
      return first;
    }

    Instant last() {
      return last;
    }

    int count() {
      return count;
    }
  }
}
