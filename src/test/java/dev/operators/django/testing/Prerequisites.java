package dev.operators.django.testing;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a test does when this machine lacks something it needs: in CI ({@code CI=true}, which {@code
 * .ci/run} sets) the test fails with the reason, since a skipped test there is a property nobody
 * checked; on a workstation it is skipped, with a warning line in the output. Every test family
 * that can be skipped goes through here, never through a bare assumption.
 */
public final class Prerequisites {
  private static final Logger log = LoggerFactory.getLogger(Prerequisites.class);

  enum Verdict {
    RUN,
    SKIP,
    FAIL
  }

  private Prerequisites() {}

  static Verdict decide(Optional<String> missing, boolean ci) {
    if (missing.isEmpty()) {
      return Verdict.RUN;
    }
    return ci ? Verdict.FAIL : Verdict.SKIP;
  }

  static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Returns if nothing is missing; otherwise fails (CI) or skips loudly (elsewhere). */
  public static void require(Optional<String> missing) {
    switch (decide(missing, inCi())) {
      case RUN -> {}
      case FAIL ->
          throw new AssertionError(
              "CI=true, and this machine cannot run the test: " + missing.orElseThrow());
      case SKIP -> {
        var line = "SKIPPED (set CI=true to make this a failure): " + missing.orElseThrow();
        log.warn(line);
        System.err.println("[WARNING] " + line);
        Assumptions.abort(missing.orElseThrow());
      }
    }
  }
}
