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
  public static OperatorProcess start(Cluster cluster, String name, Map<String, String> env,
      List<String> jvmOptions, Path javaHome) {
    return start(cluster.kubeconfigYaml(), name, env, jvmOptions, javaHome);
  }

  /**
   * Starts an operator that reaches the cluster through the given kubeconfig (for instance one
   * that authenticates as the operator's ServiceAccount, see {@link ServiceAccountKubeconfig}).
   */
  public static OperatorProcess start(String kubeconfigYaml, String name, Map<String, String> env,
      List<String> jvmOptions, Path javaHome) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run ./mvnw package first");
    }
    try {
      var dir = Files.createDirectories(Path.of("target/operator-processes"));
      var kubeconfig = dir.resolve(name + ".kubeconfig");
      Files.writeString(kubeconfig, kubeconfigYaml);
      var log = dir.resolve(name + ".log");
      int port = freePort();
      var java = javaHome != null ? javaHome.resolve("bin/java").toString()
          : ProcessHandle.current().info().command().orElse("java");
      var command = new ArrayList<String>();
      command.add(java);
      command.addAll(jvmOptions);
      command.add("-jar");
      command.add(JAR.toAbsolutePath().toString());
      var builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
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
      var response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(5)).build(),
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

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(35, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
