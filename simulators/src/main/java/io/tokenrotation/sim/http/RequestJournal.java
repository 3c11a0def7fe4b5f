package io.tokenrotation.sim.http;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/** Every request a simulator served, in order; tests and the benchmark count calls from it. */
public final class RequestJournal {
  private final ConcurrentLinkedQueue<JournalEntry> entries = new ConcurrentLinkedQueue<>();

  void record(JournalEntry entry) {
    entries.add(entry);
  }

  public List<JournalEntry> entries() {
    return List.copyOf(entries);
  }

  public long count(Predicate<JournalEntry> filter) {
    return entries.stream().filter(filter).count();
  }

  public long count(String method, String pathRegex) {
    return count(e -> e.matches(method, pathRegex));
  }

  public int size() {
    return entries.size();
  }

  public void clear() {
    entries.clear();
  }
}
