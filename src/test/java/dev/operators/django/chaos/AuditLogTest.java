package dev.operators.django.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.DjangoOperator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chaos run's audit-log check, on crafted logs: it must count, and it must be able to fail. */
class AuditLogTest {
  static final String USER = Fleet.USER;
  static final String ONE = "django-operator/chaos-1 (linux/amd64) fabric8";
  static final String TWO = "django-operator/chaos-2 (linux/amd64) fabric8";
  static final String UNNAMED = "fabric8-kubernetes-client/7.4.0";

  @TempDir Path dir;

  /** chaos-1 takes the Lease and writes; chaos-2 is refused; chaos-1 releases, chaos-2 takes it. */
  static List<String> twoLeaders(String agentOne, String agentTwo) {
    return List.of(
        lease(1, "create", agentOne, "chaos-1"),
        write(2, "patch", "deployments", "apps", agentOne, 200),
        write(3, "create", "services", "", agentOne, 201),
        write(4, "patch", "djangoapps", "django.operators.dev", agentOne, 200),
        write(5, "create", "events", "", agentTwo, 403),
        lease(6, "update", agentOne, ""),
        lease(7, "update", agentTwo, "chaos-2"),
        write(8, "create", "jobs", "batch", agentTwo, 201),
        // Not the operator's user: the controller-manager's writes are not counted.
        event(9, "create", "pods", "", "kube-controller-manager/v1.35.4", 201, null, "system:kcm"));
  }

  @Test
  void writesOfReplicasThatHeldTheLeaseAreAttributedAndCounted() throws IOException {
    var log = AuditLog.read(write("audit.log", twoLeaders(ONE, TWO)), USER);

    assertThat(log.acceptedWritesByReplica())
        .containsEntry("chaos-1", 3)
        .containsEntry("chaos-2", 1);
    assertThat(log.refusedWritesByReplica()).containsEntry("chaos-2", 1);
    assertThat(log.leaseWritesByReplica())
        .containsEntry("chaos-1", 1L)
        .containsEntry("chaos-2", 1L);
    assertThat(log.violations()).isEmpty();
    assertThat(log.unattributedWrites()).isZero();
    assertThat(log.doubts(4, 0)).isEmpty();
  }

  @Test
  void aWriteAcceptedFromAReplicaThatDidNotHoldTheLeaseIsAViolation() throws IOException {
    var lines = new ArrayList<>(twoLeaders(ONE, TWO));
    lines.add(3, write(3, "patch", "deployments", "apps", TWO, 200));
    var log = AuditLog.read(write("audit.log", lines), USER);

    assertThat(log.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.writer()).isEqualTo("chaos-2");
              assertThat(v.holder()).isEqualTo("chaos-1");
            });
  }

  @Test
  void writesThatNameNoReplicaFailTheCheck() throws IOException {
    // The operator's writes no longer carry the replica (a changed User-Agent): nothing is
    // attributed, so no violation can be seen, and the check must say that it cannot vouch.
    var log = AuditLog.read(write("audit.log", twoLeaders(UNNAMED, UNNAMED)), USER);

    assertThat(log.violations()).isEmpty();
    assertThat(log.acceptedWritesByReplica()).isEmpty();
    assertThat(log.unattributedWrites()).isEqualTo(8);
    assertThat(log.doubts(4, 0))
        .anySatisfy(d -> assertThat(d).contains("8 writes by " + USER + " name no replica"))
        .anySatisfy(d -> assertThat(d).contains("Lease writes not attributed to the holder"))
        .anySatisfy(d -> assertThat(d).contains("0 accepted writes attributed to replicas"));
  }

  @Test
  void oneReplicaWhoseWritesAreNotAttributedFailsTheCheck() throws IOException {
    var log = AuditLog.read(write("audit.log", twoLeaders(ONE, UNNAMED)), USER);

    assertThat(log.acceptedWritesByReplica()).containsOnlyKeys("chaos-1");
    assertThat(log.doubts(1, 0))
        .anySatisfy(d -> assertThat(d).contains("3 writes by " + USER + " name no replica"))
        .anySatisfy(
            d -> assertThat(d).contains("1 Lease writes not attributed").contains("chaos-2"));
  }

  @Test
  void tooFewAttributedWritesFailTheCheck() throws IOException {
    var log = AuditLog.read(write("audit.log", twoLeaders(ONE, TWO)), USER);

    assertThat(log.doubts(5, 0)).singleElement().asString().contains("4 accepted writes");
  }

  @Test
  void aLogWithNoLeaseHolderFailsTheCheck() throws IOException {
    var log =
        AuditLog.read(
            write("audit.log", List.of(write(2, "patch", "deployments", "apps", ONE, 200))), USER);

    assertThat(log.doubts(0, 0)).contains("no accepted write of the Lease names a holder");
  }

  @Test
  void unparseableLinesAreCountedAndFailTheCheckAboveTheAllowance() throws IOException {
    var lines = new ArrayList<>(twoLeaders(ONE, TWO));
    // A line cut by a kill of the API server, with the restarted server's first line after it.
    lines.set(4, lines.get(4).substring(0, 40) + lines.get(5));
    lines.remove(5);
    var log = AuditLog.read(write("audit.log", lines), USER);

    assertThat(log.unparseableLines()).isOne();
    assertThat(log.doubts(4, 1)).isEmpty();
    assertThat(log.doubts(4, 0))
        .singleElement()
        .asString()
        .contains("1 lines are not audit events, more than the 0");
  }

  @Test
  void rotatedFilesAreReadWithTheLog() throws IOException {
    var lines = twoLeaders(ONE, TWO);
    write("audit-2026-12-07T20-00-00.000.log", lines.subList(0, 3));
    gzip("audit-2026-12-07T20-00-04.000.log.gz", lines.subList(3, 6));
    var log = AuditLog.read(write("audit.log", lines.subList(6, lines.size())), USER);

    assertThat(log.files()).hasSize(3);
    assertThat(log.acceptedWritesByReplica())
        .containsEntry("chaos-1", 3)
        .containsEntry("chaos-2", 1);
    assertThat(log.doubts(4, 0)).isEmpty();
    // Read alone, the current file has the second leader's writes only.
    Files.delete(dir.resolve("audit-2026-12-07T20-00-00.000.log"));
    Files.delete(dir.resolve("audit-2026-12-07T20-00-04.000.log.gz"));
    assertThat(AuditLog.read(dir.resolve("audit.log"), USER).acceptedWritesByReplica())
        .containsOnlyKeys("chaos-2");
  }

  private Path write(String name, List<String> lines) throws IOException {
    return Files.write(dir.resolve(name), lines);
  }

  private void gzip(String name, List<String> lines) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(name)))) {
      out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  static String lease(int second, String verb, String agent, String holder) {
    return event(
        second,
        verb,
        "leases",
        "coordination.k8s.io",
        agent,
        verb.equals("create") ? 201 : 200,
        holder,
        USER);
  }

  static String write(
      int second, String verb, String resource, String group, String agent, int code) {
    return event(second, verb, resource, group, agent, code, null, USER);
  }

  static String event(
      int second,
      String verb,
      String resource,
      String group,
      String agent,
      int code,
      String holder,
      String user) {
    var namespace = "leases".equals(resource) ? Fleet.NAMESPACE : "chaos-0";
    var name = "leases".equals(resource) ? DjangoOperator.LEASE_NAME : "app-" + second;
    var body =
        holder == null
            ? ""
            : ",\"requestObject\":{\"spec\":{\"holderIdentity\":\"" + holder + "\"}}";
    return String.format(
        "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"stage\":\"ResponseComplete\","
            + "\"verb\":\"%s\",\"requestURI\":\"/%s/namespaces/%s/%s/%s\","
            + "\"user\":{\"username\":\"%s\"},\"userAgent\":\"%s\","
            + "\"objectRef\":{\"resource\":\"%s\",\"namespace\":\"%s\",\"name\":\"%s\","
            + "\"apiGroup\":\"%s\"},\"responseStatus\":{\"code\":%d}%s,"
            + "\"stageTimestamp\":\"2026-12-07T20:00:%02d.000000Z\"}",
        verb,
        group.isEmpty() ? "api/v1" : "apis/" + group + "/v1",
        namespace,
        resource,
        name,
        user,
        agent,
        resource,
        namespace,
        name,
        group,
        code,
        body,
        second);
  }
}
