package dev.operators.django.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Python interpreter with the packages pinned in {@code src/test/python/requirements.txt},
 * from a virtual environment that {@code src/test/python/venv.sh} keeps outside the repo.
 */
public final class Python {
  private static final Path SCRIPTS = Path.of("src/test/python");
  private static volatile Path interpreter;

  private Python() {}

  /** Runs a script of src/test/python with exactly {@code env}, and parses its JSON output. */
  public static Map<String, Object> runJson(String script, Map<String, String> env) {
    try {
      var builder =
          new ProcessBuilder(List.of(interpreter().toString(), SCRIPTS.resolve(script).toString()))
              .redirectError(ProcessBuilder.Redirect.INHERIT);
      builder.environment().clear();
      builder.environment().putAll(env);
      var process = builder.start();
      var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(script + " failed: " + output);
      }
      @SuppressWarnings("unchecked")
      var result = (Map<String, Object>) new ObjectMapper().readValue(output, Map.class);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A program that one of the pinned packages installs, e.g. moto_server. */
  public static Path bin(String program) {
    return interpreter().resolveSibling(program);
  }

  private static synchronized Path interpreter() {
    if (interpreter == null) {
      interpreter =
          Commands.lastLine(
              Commands.run(
                  List.of("bash", SCRIPTS.resolve("venv.sh").toAbsolutePath().toString()),
                  Map.of()));
    }
    return interpreter;
  }
}
