package io.tokenrotation.sim.http;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Every request a simulator served, in order; tests and the benchmark count calls from it, and a
 * test that must see each state change as it happens (rather than polling) subscribes.
 */
public final class RequestJournal {
  /** Ends a subscription. */
  @FunctionalInterface
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  private final ConcurrentLinkedQueue<JournalEntry> entries = new ConcurrentLinkedQueue<>();
  private final List<Consumer<JournalEntry>> subscribers = new CopyOnWriteArrayList<>();

  void record(JournalEntry entry) {
    entries.add(entry);
    subscribers.forEach(s -> s.accept(entry));
  }

  /**
   * Calls {@code subscriber} with every entry from now on, on the thread that served the request,
   * after the request changed the simulator's state and before its answer is sent: what the
   * subscriber reads then is what the caller will have caused.
   */
  public Subscription subscribe(Consumer<JournalEntry> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  public List<JournalEntry> entries() {
    return List.copyOf(entries);
  }

  public long count(Predicate<JournalEntry> filter) {
    return entries.stream().filter(filter).count();
  }

  public long count(String method, String pathRegex) {
    Pattern path = Pattern.compile(pathRegex); // once, not per entry
    return count(e -> e.matches(method, path));
  }

  public int size() {
    return entries.size();
  }

  public void clear() {
    entries.clear();
  }
}
