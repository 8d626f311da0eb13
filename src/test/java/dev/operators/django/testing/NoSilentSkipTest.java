package dev.operators.django.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every way a test can be skipped goes through {@link Prerequisites}, which fails in CI: no bare
 * assumption, no disabled or conditional test anywhere else in the tests. (A skip in a class's
 * set-up shows in Failsafe's report as zero tests run, not as skipped, so a report check alone
 * would not see it.)
 */
class NoSilentSkipTest {
  private static final Pattern SKIP =
      Pattern.compile(
          "\\bAssumptions\\b|\\bassume(True|False|That)\\b|\\bassumingThat\\b|@Disabled\\b"
              + "|@(Enabled|Disabled)(If|On|For)\\w*");

  @Test
  void noTestSkipsOutsidePrerequisites() throws IOException {
    var found = new ArrayList<String>();
    try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
      for (var file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        var name = file.getFileName().toString();
        if (name.equals("Prerequisites.java") || name.equals("NoSilentSkipTest.java")) {
          continue;
        }
        var lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          if (SKIP.matcher(lines.get(i)).find()) {
            found.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    }
    assertThat(found).as("skips that CI would not fail on; use Prerequisites.require").isEmpty();
  }

  @Test
  void theCheckSeesASkip() {
    assertThat(SKIP.matcher("    assumeTrue(isRoot, \"root\");").find()).isTrue();
    assertThat(SKIP.matcher("import org.junit.jupiter.api.Assumptions;").find()).isTrue();
    assertThat(SKIP.matcher("@EnabledIfEnvironmentVariable(named = \"X\", matches = \"1\")").find())
        .isTrue();
    assertThat(SKIP.matcher("@Disabled(\"flaky\")").find()).isTrue();
    assertThat(SKIP.matcher("Prerequisites.require(RealNode.missingPrerequisite());").find())
        .isFalse();
  }
}
