package dev.operators.django.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The services a Django app uses, real and on the host, where the real node's pods reach them at
 * {@link RealNode#GATEWAY}: PostgreSQL (Debian's server, a cluster of its own on port 15432) and an
 * S3-compatible object store (moto's server, from the tests' Python environment).
 */
public final class HostServices implements AutoCloseable {
  public static final int POSTGRES_PORT = 15432;
  public static final int S3_PORT = 15000;
  private final Path dataDir;
  private final List<ComponentProcess> processes = new ArrayList<>();

  private HostServices(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** Starts both; the real node's veth must exist, since they listen on its host end. */
  public static HostServices start(Path logs) {
    HostServices services;
    try {
      services = new HostServices(Files.createTempDirectory("django-operator-postgres"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      services.startPostgres(logs);
      services.processes.add(
          ComponentProcess.start(
              "moto-s3",
              Python.bin("moto_server"),
              List.of("-H", RealNode.GATEWAY, "-p", String.valueOf(S3_PORT)),
              logs));
      var http = HttpClient.newHttpClient();
      await("moto's S3 server")
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () ->
                  http.send(
                              HttpRequest.newBuilder(s3("/")).build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode()
                      == 200);
      return services;
    } catch (RuntimeException e) {
      services.close();
      throw e;
    }
  }

  private void startPostgres(Path logs) {
    var bin = postgresBin();
    run("chown", "postgres", dataDir.toString());
    run(
        "runuser",
        "-u",
        "postgres",
        "--",
        bin.resolve("initdb").toString(),
        "-D",
        dataDir.resolve("data").toString(),
        "-U",
        "postgres",
        "--auth-local=trust",
        "--auth-host=scram-sha-256");
    // Pods' connections arrive masqueraded as the node's end of the veth, or as themselves.
    append(
        dataDir.resolve("data/pg_hba.conf"),
        "host all all "
            + RealNode.LINK_CIDR
            + " scram-sha-256\nhost all all "
            + RealNode.POD_CIDR
            + " scram-sha-256\n");
    processes.add(
        ComponentProcess.start(
            "postgres",
            Path.of("/usr/sbin/runuser"),
            List.of(
                "-u",
                "postgres",
                "--",
                bin.resolve("postgres").toString(),
                "-D",
                dataDir.resolve("data").toString(),
                "-p",
                String.valueOf(POSTGRES_PORT),
                "-c",
                "listen_addresses=127.0.0.1," + RealNode.GATEWAY,
                "-c",
                "unix_socket_directories=" + dataDir,
                "-c",
                "fsync=off"),
            logs));
    await("PostgreSQL")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> "1".equals(sql("postgres", "select 1").trim()));
  }

  /** A database owned by a new role, for one test. */
  public void createDatabase(String name, String user, String password) {
    sql("postgres", "create role \"" + user + "\" login password '" + password + "'");
    sql("postgres", "create database \"" + name + "\" owner \"" + user + "\"");
  }

  /** Runs SQL as the server's superuser; returns the rows, unaligned. */
  public String sql(String database, String statement) {
    return run(
        "runuser",
        "-u",
        "postgres",
        "--",
        postgresBin().resolve("psql").toString(),
        "-h",
        dataDir.toString(),
        "-p",
        String.valueOf(POSTGRES_PORT),
        "-d",
        database,
        "-v",
        "ON_ERROR_STOP=1",
        "-tAc",
        statement);
  }

  public void createBucket(String bucket) {
    s3Request("PUT", "/" + bucket);
  }

  /** The keys in a bucket. */
  public List<String> objects(String bucket) {
    var listing = s3Request("GET", "/" + bucket + "?list-type=2&max-keys=1000");
    var keys = new ArrayList<String>();
    var matcher = Pattern.compile("<Key>([^<]+)</Key>").matcher(listing);
    while (matcher.find()) {
      keys.add(matcher.group(1));
    }
    return keys;
  }

  public static String s3Endpoint() {
    return "http://" + RealNode.GATEWAY + ":" + S3_PORT;
  }

  private static URI s3(String path) {
    return URI.create(s3Endpoint() + path);
  }

  private static String s3Request(String method, String path) {
    try {
      var response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(s3(path))
                      .method(method, HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(method + " " + path + ": " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path postgresBin() {
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.sorted().reduce((a, b) -> b).orElseThrow().resolve("bin");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "PostgreSQL's server is not installed" + " (apt-get install postgresql)", e);
    }
  }

  private static void append(Path file, String line) {
    try {
      Files.writeString(file, Files.readString(file) + line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String run(String... command) {
    return Commands.run(List.of(command), Map.of());
  }

  @Override
  public void close() {
    processes.forEach(ComponentProcess::stop);
    run("rm", "-rf", dataDir.toString());
  }
}
