package dev.operators.django.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A watch that closed by itself fails the test; one the test closed does not. */
class WatchClosuresTest {

  @Test
  void aWatchThatGaveUpFailsTheTest() {
    var closures = new WatchClosures();
    var seen = new ArrayList<String>();
    Watcher<String> watcher = closures.watcher("pods", (action, pod) -> seen.add(pod));
    watcher.eventReceived(Watcher.Action.ADDED, "polls-0");
    watcher.onClose(new WatcherException("too old resource version: 5 (42)"));

    assertThat(seen).isEqualTo(List.of("polls-0"));
    assertThatThrownBy(closures::assertNone)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the watch of pods closed: too old resource version");
  }

  @Test
  void aWatchTheTestClosedIsNoFailure() {
    var closures = new WatchClosures();
    closures.<String>watcher("pods", (action, pod) -> {}).onClose(null);

    assertThatCode(closures::assertNone).doesNotThrowAnyException();
  }
}
