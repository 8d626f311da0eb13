package dev.operators.django.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control-plane component running as a child process, with its output in a log file.
 *
 * <p>A JVM killed with SIGKILL runs no shutdown hook, so each component gets a watchdog: a tiny
 * shell process that waits for this JVM to exit and then terminates the component. No component
 * outlives the test run, whichever way the JVM ends.
 */
public final class ComponentProcess {
  private static final Logger log = LoggerFactory.getLogger(ComponentProcess.class);

  private final String name;
  private final Process process;
  private final Process watchdog;
  private final Path logFile;

  private ComponentProcess(String name, Process process, Process watchdog, Path logFile) {
    this.name = name;
    this.process = process;
    this.watchdog = watchdog;
    this.logFile = logFile;
  }

  public static ComponentProcess start(String name, Path binary, List<String> args, Path logDir) {
    return start(name, binary, args, logDir, Map.of());
  }

  /**
   * With these environment variables set (a proxy, say). The log is appended to, so that a
   * component restarted in the same run (kube-apiserver, cert-manager) keeps its first output.
   */
  public static ComponentProcess start(
      String name, Path binary, List<String> args, Path logDir, Map<String, String> environment) {
    var command = new ArrayList<String>();
    command.add(binary.toString());
    command.addAll(args);
    var logFile = logDir.resolve(name + ".log");
    try {
      Files.createDirectories(logDir);
      var builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.environment().putAll(environment);
      var process = builder.start();
      var watchdog = watchdog(process);
      log.debug("started {} (pid {}), log {}", name, process.pid(), logFile);
      return new ComponentProcess(name, process, watchdog, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " from " + binary, e);
    }
  }

  /** A shell that terminates the child once this JVM is gone, however it ended. */
  static Process watchdog(Process child) throws IOException {
    long jvm = ProcessHandle.current().pid();
    return new ProcessBuilder(
            "sh",
            "-c",
            "tail --pid="
                + jvm
                + " -f /dev/null; kill -TERM "
                + child.pid()
                + " 2>/dev/null; sleep 5; kill -KILL "
                + child.pid()
                + " 2>/dev/null")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectErrorStream(true)
        .start();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public String name() {
    return name;
  }

  /** Fails with the tail of the component's log when it has exited. */
  public void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          name + " exited with code " + process.exitValue() + "; last log lines:\n" + tail(30));
    }
  }

  public String tail(int lines) {
    try {
      var all = Files.readAllLines(logFile);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGKILL, and the wait for the exit. */
  public void kill() {
    try {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      watchdog.destroyForcibly();
    }
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  public void stop() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          log.warn("{} did not stop within 10s, killing it", name);
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      watchdog.destroyForcibly();
    }
  }
}
