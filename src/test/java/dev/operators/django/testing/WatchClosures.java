package dev.operators.django.testing;

import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A test's watches that closed by themselves. fabric8 reconnects a dropped watch on its own and
 * calls {@code onClose} with an exception only when it gives up (a 410 Gone, say): from then on the
 * watch sees nothing, and a check over what it saw ("at most one", "never before") would pass on no
 * data. Each test watcher reports its close here, and {@link #assertNone} fails the test.
 */
public final class WatchClosures {
  private final List<String> closures = new CopyOnWriteArrayList<>();

  /** A close the test asked for has no cause, and is not recorded. */
  public void record(String watch, WatcherException cause) {
    if (cause != null) {
      closures.add("the watch of " + watch + " closed: " + cause.getMessage());
    }
  }

  public void assertNone() {
    if (!closures.isEmpty()) {
      throw new AssertionError("a watch the test relies on stopped seeing events: " + closures);
    }
  }

  /** A watcher that hands each event to {@code events} and reports its close here. */
  public <T> Watcher<T> watcher(String watch, BiConsumer<Watcher.Action, T> events) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        events.accept(action, resource);
      }

      @Override
      public void onClose(WatcherException cause) {
        record(watch, cause);
      }
    };
  }
}
