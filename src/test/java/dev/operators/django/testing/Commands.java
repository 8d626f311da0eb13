package dev.operators.django.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the short-lived programs of the test tooling (build scripts, ctr, psql) and writes files.
 */
public final class Commands {
  private Commands() {}

  /** Runs from "/" with {@code env} added; error output inherited; fails on a non-zero exit. */
  public static String run(List<String> command, Map<String, String> env) {
    return run(command, env, false);
  }

  /** As {@link #run(List, Map)}; returns the output whatever the exit code if {@code mayFail}. */
  static String run(List<String> command, Map<String, String> env, boolean mayFail) {
    return run(command, env, mayFail, false);
  }

  /** As {@link #run(List, Map, boolean)}; with the error output in the result if {@code merged}. */
  static String run(
      List<String> command, Map<String, String> env, boolean mayFail, boolean merged) {
    try {
      // From "/": a program run as another user (psql as postgres) warns on stdout when it
      // cannot enter the current directory.
      var builder =
          new ProcessBuilder(command)
              .directory(new File("/"))
              .redirectError(ProcessBuilder.Redirect.INHERIT);
      builder.environment().putAll(env);
      var process = builder.start();
      var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0 && !mayFail) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A program's exit code and its output (error output included). */
  record Result(int exitCode, String output) {}

  /** Runs from "/" with {@code env} added, whatever the exit code; output and errors merged. */
  static Result runForResult(List<String> command, Map<String, String> env) {
    try {
      var builder = new ProcessBuilder(command).directory(new File("/")).redirectErrorStream(true);
      builder.environment().putAll(env);
      var process = builder.start();
      var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.waitFor(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The last line a build script prints: the directory it built into. */
  public static Path lastLine(String output) {
    var lines = output.trim().lines().toList();
    return Path.of(lines.get(lines.size() - 1));
  }

  public static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
