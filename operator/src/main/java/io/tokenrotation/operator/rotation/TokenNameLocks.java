package io.tokenrotation.operator.rotation;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises, per Dynatrace environment and token name, "create a token and record its id" against
 * "look for orphans of that name and delete them". Without it, one resource's orphan sweep could
 * delete the token another resource just created under the same name, before that id reached its
 * status.
 */
public final class TokenNameLocks {
  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  public <T> T withLock(String environmentUrl, String tokenName, Supplier<T> action) {
    ReentrantLock lock =
        locks.computeIfAbsent(environmentUrl + "\n" + tokenName, k -> new ReentrantLock());
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }
}
