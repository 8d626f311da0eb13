package dev.operators.django.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.testing.Prerequisites.Verdict;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrerequisitesTest {
  @ParameterizedTest
  @CsvSource(
      nullValues = "none",
      value = {
        // missing,       ci,    verdict
        "none,            false, RUN",
        "none,            true,  RUN",
        "not root,        false, SKIP",
        "not root,        true,  FAIL",
      })
  void aMissingPrerequisiteFailsInCiAndSkipsElsewhere(String missing, boolean ci, Verdict verdict) {
    assertThat(Prerequisites.decide(Optional.ofNullable(missing), ci)).isEqualTo(verdict);
  }
}
