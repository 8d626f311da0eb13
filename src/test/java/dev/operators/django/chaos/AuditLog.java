package dev.operators.django.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.django.DjangoOperator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * The API server's audit log, read back: who held the operator's Lease when (from the Lease writes
 * it accepted, whose bodies the policy keeps), and every write an operator replica made (each
 * replica's User-Agent carries its identity). A write the API server accepted from a replica that
 * did not hold the Lease at that moment is a write by a non-leader.
 *
 * <p>"No such write" only means something if the writes were attributed at all: {@link #doubts}
 * says why this log cannot vouch for it (writes of the operator's user that name no replica, Lease
 * writes whose writer is not the holder they name, too few attributed writes, lines that could not
 * be read). Rotated files (the API server's backups beside the log) are read with it.
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

  /**
   * An accepted write of the Lease naming its holder (null or empty: released), and the replica
   * whose User-Agent made it (null: none).
   */
  record Holding(Instant at, String holder, String writer) {}

  private final List<Holding> holdings = new ArrayList<>();
  private final List<Violation> violations = new ArrayList<>();
  private final Map<String, Integer> acceptedWritesByReplica = new TreeMap<>();
  private final Map<String, Integer> refusedWritesByReplica = new TreeMap<>();
  private final Map<String, Integer> jobCreates = new TreeMap<>();
  private final List<String> unattributed = new ArrayList<>();
  private final List<Path> files = new ArrayList<>();
  private final String operatorUser;
  private int unparseableLines;

  private AuditLog(String operatorUser) {
    this.operatorUser = operatorUser;
  }

  /**
   * Reads {@code file} and its rotated backups ({@code <stem>-<time>.<ext>}, gzipped or not).
   *
   * @param operatorUser the user the replicas authenticate as: each of its writes must name a
   *     replica in its User-Agent
   */
  static AuditLog read(Path file, String operatorUser) {
    var log = new AuditLog(operatorUser);
    var events = new ArrayList<JsonNode>();
    for (var path : withBackups(file)) {
      log.files.add(path);
      try (var in = open(path);
          var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        reader
            .lines()
            .forEach(
                line -> {
                  var event = parse(line);
                  if (event == null) {
                    log.unparseableLines++;
                  } else {
                    events.add(event);
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    events.sort(Comparator.comparing(e -> Instant.parse(e.path("stageTimestamp").asText())));
    events.forEach(log::add);
    return log;
  }

  /** An audit event, or null for a line that is not one (a line cut by a kill of the server). */
  private static JsonNode parse(String line) {
    try {
      var event = JSON.readTree(line);
      Instant.parse(event.path("stageTimestamp").asText());
      return event;
    } catch (IOException | DateTimeParseException e) {
      return null;
    }
  }

  private static List<Path> withBackups(Path file) {
    var name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    var stem = dot < 0 ? name : name.substring(0, dot);
    var ext = dot < 0 ? "" : name.substring(dot);
    var all = new ArrayList<Path>();
    try (var siblings = Files.list(file.toAbsolutePath().getParent())) {
      siblings
          .filter(
              p -> {
                var n = p.getFileName().toString();
                return n.startsWith(stem + "-") && (n.endsWith(ext) || n.endsWith(ext + ".gz"));
              })
          .sorted()
          .forEach(all::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    all.add(file);
    return all;
  }

  private static InputStream open(Path path) throws IOException {
    var in = Files.newInputStream(path);
    return path.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
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
    var agent = event.path("userAgent").asText("");
    var replica =
        agent.startsWith(USER_AGENT_PREFIX)
            ? agent.substring(USER_AGENT_PREFIX.length()).split("\\s")[0]
            : null;
    if (replica == null && operatorUser.equals(event.path("user").path("username").asText())) {
      unattributed.add(
          at
              + " "
              + event.path("verb").asText()
              + " "
              + event.path("requestURI").asText()
              + " by "
              + (agent.isEmpty() ? "no User-Agent" : "User-Agent " + agent));
    }
    if (isOperatorLease(ref, event) && accepted) {
      var spec = event.path("requestObject").path("spec");
      if (spec.has("holderIdentity") || !"patch".equals(event.path("verb").asText())) {
        holdings.add(new Holding(at, spec.path("holderIdentity").asText(null), replica));
      }
    }
    if ("jobs".equals(ref.path("resource").asText())
        && "create".equals(event.path("verb").asText())
        && accepted) {
      jobCreates.merge(
          ref.path("namespace").asText() + "/" + ref.path("name").asText(), 1, Integer::sum);
    }
    if (replica == null || UNFENCED_GROUPS.contains(ref.path("apiGroup").asText())) {
      return;
    }
    var writer = replica;
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

  /**
   * Why this log cannot vouch for "no write accepted from a replica that did not hold the Lease":
   * empty when it can.
   *
   * @param minimumAttributed the fewest fenced writes the run must have attributed to replicas
   * @param maximumUnparseable the most lines that may not be audit events (each kill of the API
   *     server can cut the line it was writing)
   */
  List<String> doubts(int minimumAttributed, int maximumUnparseable) {
    var doubts = new ArrayList<String>();
    if (!unattributed.isEmpty()) {
      doubts.add(
          unattributed.size()
              + " writes by "
              + operatorUser
              + " name no replica in their User-Agent, first "
              + unattributed.subList(0, Math.min(3, unattributed.size())));
    }
    var named = holdings.stream().filter(h -> h.holder() != null && !h.holder().isEmpty()).toList();
    if (named.isEmpty()) {
      doubts.add("no accepted write of the Lease names a holder");
    }
    // A replica takes the Lease only by writing it: every holder made at least that write.
    var misattributed =
        named.stream().filter(h -> !h.holder().equals(h.writer())).map(Object::toString).toList();
    if (!misattributed.isEmpty()) {
      doubts.add(
          misattributed.size()
              + " Lease writes not attributed to the holder they name, first "
              + misattributed.subList(0, Math.min(3, misattributed.size())));
    }
    int attributed = acceptedWritesByReplica.values().stream().mapToInt(Integer::intValue).sum();
    if (attributed < minimumAttributed) {
      doubts.add(
          attributed
              + " accepted writes attributed to replicas, fewer than the "
              + minimumAttributed
              + " the run must have made");
    }
    if (unparseableLines > maximumUnparseable) {
      doubts.add(
          unparseableLines
              + " lines are not audit events, more than the "
              + maximumUnparseable
              + " that kills of the API server can cut");
    }
    return doubts;
  }

  /** Lease writes naming a holder, by the replica that made them. */
  Map<String, Long> leaseWritesByReplica() {
    return holdings.stream()
        .filter(h -> h.writer() != null && h.holder() != null && !h.holder().isEmpty())
        .collect(Collectors.groupingBy(Holding::writer, TreeMap::new, Collectors.counting()));
  }

  int unparseableLines() {
    return unparseableLines;
  }

  List<Path> files() {
    return files;
  }

  int unattributedWrites() {
    return unattributed.size();
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
