package dev.operators.django.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator as its own JVM, started from the packaged {@code target/django-operator.jar} the way
 * a container would run it: for leader election, log inspection and benchmarks.
 */
public final class OperatorProcess implements AutoCloseable {
  /** The packaged operator, as {@code ./mvnw package} leaves it. */
  public static final Path JAR = Path.of("target/django-operator.jar");

  private final String name;
  private final Process process;
  private final Path log;
  private final int port;
  private final long startedAtMillis;

  private OperatorProcess(String name, Process process, Path log, int port, long startedAtMillis) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.port = port;
    this.startedAtMillis = startedAtMillis;
  }

  /**
   * Starts an operator against the cluster with the given environment (WATCH_NAMESPACES, ...).
   *
   * @param javaHome the JDK to run it on, or null for the one running the tests
   */
  public static OperatorProcess start(
      Cluster cluster,
      String name,
      Map<String, String> env,
      List<String> jvmOptions,
      Path javaHome) {
    return start(cluster.kubeconfigYaml(), name, env, jvmOptions, javaHome);
  }

  /**
   * Starts an operator that reaches the cluster through the given kubeconfig (for instance one that
   * authenticates as the operator's ServiceAccount, see {@link ServiceAccountKubeconfig}).
   */
  public static OperatorProcess start(
      String kubeconfigYaml,
      String name,
      Map<String, String> env,
      List<String> jvmOptions,
      Path javaHome) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run ./mvnw package first");
    }
    try {
      var dir = Files.createDirectories(Path.of("target/operator-processes"));
      var kubeconfig = dir.resolve(name + ".kubeconfig");
      Files.writeString(kubeconfig, kubeconfigYaml);
      var log = dir.resolve(name + ".log");
      int port = freePort();
      var java =
          javaHome != null
              ? javaHome.resolve("bin/java").toString()
              : ProcessHandle.current().info().command().orElse("java");
      var command = new ArrayList<String>();
      command.add(java);
      command.addAll(jvmOptions);
      command.add("-jar");
      command.add(JAR.toAbsolutePath().toString());
      var builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      var environment = builder.environment();
      environment.put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
      environment.put("HEALTH_PORT", Integer.toString(port));
      environment.put("POD_NAME", name);
      environment.putAll(new HashMap<>(env));
      long startedAt = System.currentTimeMillis();
      var process = builder.start();
      var watchdog = ComponentProcess.watchdog(process);
      process.onExit().thenRun(watchdog::destroyForcibly);
      return new OperatorProcess(name, process, log, port, startedAt);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static OperatorProcess start(Cluster cluster, String name, Map<String, String> env) {
    return start(cluster, name, env, List.of(), null);
  }

  public String name() {
    return name;
  }

  /** When the JVM was spawned, in epoch milliseconds. */
  public long startedAtMillis() {
    return startedAtMillis;
  }

  public long pid() {
    return process.pid();
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The body of a health or metrics endpoint, or null while it does not answer 200. */
  public String get(String path) {
    try {
      var response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** SIGKILL: no shutdown hook, no Lease release, as when a node dies. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How a SIGTERM ended the process: its exit status and the time from the signal to the exit. */
  public record Termination(int exitStatus, Duration took) {}

  /**
   * SIGTERM, as the kubelet sends it, and the wait for the exit. A process that is still running
   * after {@code gracePeriod} (the pod's terminationGracePeriodSeconds) is SIGKILLed, as the
   * kubelet would, and this fails: a hang is a bug, not something to hide.
   */
  public Termination terminate(Duration gracePeriod) {
    long signalled = System.nanoTime();
    process.destroy();
    try {
      if (!process.waitFor(gracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
        var dump = threadDump();
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            name
                + " did not exit within "
                + gracePeriod.toSeconds()
                + " s of SIGTERM and was killed; its threads then:\n"
                + dump);
      }
      return new Termination(process.exitValue(), Duration.ofNanos(System.nanoTime() - signalled));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while " + name + " was stopping", e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit status once the process has ended (after {@link #kill} or on its own). */
  public int exitStatus() {
    return process.exitValue();
  }

  /** SIGSTOP: the process is frozen, as a stalled VM or a long GC pause would freeze it. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String signal) {
    try {
      int status =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
              .inheritIO()
              .start()
              .waitFor();
      if (status != 0) {
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + ": " + status);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String threadDump() {
    try {
      var jstack =
          Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jstack");
      var out =
          new ProcessBuilder(jstack.toString(), Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      var text = new String(out.getInputStream().readAllBytes());
      out.waitFor(20, TimeUnit.SECONDS);
      return text;
    } catch (IOException e) {
      return "(no thread dump: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(no thread dump: interrupted)";
    }
  }

  /**
   * Stops the process with SIGTERM and fails the test if it does not exit within 35 s (it is then
   * killed) or exits with a status other than 0. A process that already ended (killed by the test,
   * or after losing its Lease) is left as it is.
   */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    var termination = terminate(Duration.ofSeconds(35));
    if (termination.exitStatus() != 0) {
      throw new AssertionError(
          name
              + " exited with status "
              + termination.exitStatus()
              + " after SIGTERM; last log lines:\n"
              + tail(30));
    }
  }

  private String tail(int lines) {
    var all = log().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
