package dev.operators.django.status;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.dependent.ChildDependent;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Turns the workflow's errors into failures that name the child and say what to do. */
public final class ChildFailures {
  private ChildFailures() {}

  @SuppressWarnings("rawtypes")
  public static List<StatusAggregator.ChildFailure> from(
      DjangoApp app, Map<DependentResource, Exception> errors) {
    var failures = new ArrayList<StatusAggregator.ChildFailure>();
    errors.forEach(
        (dependent, error) -> {
          // Every child names itself; any other dependent by its kind and its name in the workflow.
          var kind =
              dependent instanceof ChildDependent<?> child
                  ? child.kind()
                  : dependent.resourceType().getSimpleName();
          var name =
              dependent instanceof ChildDependent<?> child
                  ? child.childName(app)
                  : dependent.name();
          var client = clientException(error);
          if (client != null && client.getCode() == 409) {
            failures.add(
                new StatusAggregator.ChildFailure(
                    kind,
                    name,
                    "NameConflict",
                    kind
                        + " "
                        + name
                        + " already exists and"
                        + " does not belong to this DjangoApp; it is left alone. Delete or rename it,"
                        + " or rename the DjangoApp."));
          } else {
            failures.add(
                new StatusAggregator.ChildFailure(
                    kind,
                    name,
                    "ApplyFailed",
                    kind
                        + " "
                        + name
                        + " could not be applied: "
                        + safeMessage(error)
                        + (invalid(client)
                            ? ". Fix the DjangoApp's spec: the write is sent again when it changes, or"
                                + " after a backoff of up to 5 minutes."
                            : "")));
          }
        });
    failures.sort(Comparator.comparing(StatusAggregator.ChildFailure::kind));
    return failures;
  }

  /**
   * The API server's own message when there is one, not the client's, which quotes the request.
   * Nothing here carries Secret data: apiserver messages name fields, not values.
   */
  public static String safeMessage(Throwable error) {
    var client = clientException(error);
    if (client != null) {
      if (client.getStatus() != null && client.getStatus().getMessage() != null) {
        return client.getStatus().getMessage();
      }
      return "HTTP " + client.getCode() + " from the API server";
    }
    var root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() != null ? ": " + root.getMessage() : "");
  }

  /**
   * Refused as invalid: 400 and 422, and the 500 with which server-side apply reports an object it
   * cannot convert (an invalid quantity, say).
   */
  public static boolean invalid(KubernetesClientException client) {
    return client != null
        && (client.getCode() == 400
            || client.getCode() == 422
            || (client.getCode() == 500
                && client.getStatus() != null
                && client.getStatus().getMessage() != null
                && client.getStatus().getMessage().contains("convert")));
  }

  public static boolean isConflict(Throwable error) {
    var client = clientException(error);
    return client != null && client.getCode() == 409;
  }

  private static KubernetesClientException clientException(Throwable error) {
    for (var t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException k) {
        return k;
      }
    }
    return null;
  }
}
