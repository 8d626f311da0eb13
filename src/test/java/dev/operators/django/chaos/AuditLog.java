package dev.operators.django.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.django.DjangoOperator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The API server's audit log, read back: who held the operator's Lease when (from the Lease writes
 * it accepted, whose bodies the policy keeps), and every write an operator replica made (each
 * replica's User-Agent carries its identity). A write the API server accepted from a replica that
 * did not hold the Lease at that moment is a write by a non-leader.
 */
final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> WRITES =
      Set.of("create", "update", "patch", "delete", "deletecollection");
  private static final Set<String> UNFENCED_GROUPS =
      Set.of("authorization.k8s.io", "authentication.k8s.io", "coordination.k8s.io");
  static final String USER_AGENT_PREFIX = "django-operator/";

  /** A write the API server accepted from a replica while another held the Lease, or none did. */
  record Violation(Instant at, String writer, String holder, String verb, String uri, int code) {}

  /** A change of the Lease's holder (null: released). */
  record Holding(Instant at, String holder) {}

  private final List<Holding> holdings = new ArrayList<>();
  private final List<Violation> violations = new ArrayList<>();
  private final Map<String, Integer> acceptedWritesByReplica = new TreeMap<>();
  private final Map<String, Integer> refusedWritesByReplica = new TreeMap<>();
  private final Map<String, Integer> jobCreates = new TreeMap<>();

  static AuditLog read(Path file) {
    var events = new ArrayList<JsonNode>();
    try (var lines = Files.lines(file)) {
      lines.forEach(
          line -> {
            try {
              events.add(JSON.readTree(line));
            } catch (IOException e) {
              // The last line of a log cut by a kill; nothing to count.
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    events.sort(Comparator.comparing(e -> Instant.parse(e.path("stageTimestamp").asText())));
    var log = new AuditLog();
    events.forEach(log::add);
    return log;
  }

  private void add(JsonNode event) {
    if (!"ResponseComplete".equals(event.path("stage").asText())
        || !WRITES.contains(event.path("verb").asText())) {
      return;
    }
    var at = Instant.parse(event.path("stageTimestamp").asText());
    int code = event.path("responseStatus").path("code").asInt();
    boolean accepted = code < 400;
    var ref = event.path("objectRef");
    if (isOperatorLease(ref, event) && accepted) {
      var spec = event.path("requestObject").path("spec");
      if (spec.has("holderIdentity") || !"patch".equals(event.path("verb").asText())) {
        holdings.add(new Holding(at, spec.path("holderIdentity").asText(null)));
      }
    }
    if ("jobs".equals(ref.path("resource").asText())
        && "create".equals(event.path("verb").asText())
        && accepted) {
      jobCreates.merge(
          ref.path("namespace").asText() + "/" + ref.path("name").asText(), 1, Integer::sum);
    }
    var agent = event.path("userAgent").asText("");
    if (!agent.startsWith(USER_AGENT_PREFIX)
        || UNFENCED_GROUPS.contains(ref.path("apiGroup").asText())) {
      return;
    }
    var writer = agent.substring(USER_AGENT_PREFIX.length()).split("\\s")[0];
    (accepted ? acceptedWritesByReplica : refusedWritesByReplica).merge(writer, 1, Integer::sum);
    var holder = holderAt(at);
    if (accepted && !writer.equals(holder)) {
      violations.add(
          new Violation(
              at,
              writer,
              holder,
              event.path("verb").asText(),
              event.path("requestURI").asText(),
              code));
    }
  }

  /** The Lease's create may name it in the body only. */
  private static boolean isOperatorLease(JsonNode ref, JsonNode event) {
    var name =
        ref.path("name")
            .asText(event.path("requestObject").path("metadata").path("name").asText(""));
    return "leases".equals(ref.path("resource").asText())
        && DjangoOperator.LEASE_NAME.equals(
            name.isEmpty()
                ? event.path("requestObject").path("metadata").path("name").asText()
                : name);
  }

  /** The holder as of the events added so far, which are added in the order they completed. */
  private String holderAt(Instant at) {
    return holdings.isEmpty() ? null : holdings.get(holdings.size() - 1).holder();
  }

  List<Violation> violations() {
    return violations;
  }

  List<Holding> holdings() {
    return holdings;
  }

  Map<String, Integer> acceptedWritesByReplica() {
    return acceptedWritesByReplica;
  }

  Map<String, Integer> refusedWritesByReplica() {
    return refusedWritesByReplica;
  }

  /** Jobs created, by namespace/name, as the API server accepted them. */
  Map<String, Integer> jobCreates() {
    return jobCreates;
  }
}
