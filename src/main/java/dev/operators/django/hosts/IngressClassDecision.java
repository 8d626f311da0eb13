package dev.operators.django.hosts;

import dev.operators.django.api.Problem;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Whether an ingress controller can serve the app's Ingress, as far as its class says: the class
 * the app names (spec.ingress.className), else the operator's DEFAULT_INGRESS_CLASS, else the one
 * the API server gave the Ingress when it was created, must exist; naming none, the cluster must
 * have a default IngressClass for the API server to give it one. A pure function.
 *
 * <p>Why the operator names no class itself when neither the app nor the settings do: the API
 * server's DefaultIngressClass admission gives a new class-less Ingress the cluster's default, as
 * it does for any Ingress created with kubectl, and later changes of the default leave live
 * Ingresses where they are served (moving a live site to another controller is the platform's
 * explicit act, not a side effect of re-marking a default). The field is then set by admission, not
 * applied by the operator, so the operator's applies leave it as it is.
 */
public final class IngressClassDecision {
  private IngressClassDecision() {}

  /** A reason and a message for the app's status, when the Ingress cannot be served. */
  public static final String NOT_FOUND = "IngressClassNotFound";

  public static final String NO_DEFAULT = "NoDefaultIngressClass";

  /**
   * @param appClass spec.ingress.className, or null
   * @param settingsClass the operator's DEFAULT_INGRESS_CLASS
   * @param assigned the class the live Ingress has (given by the API server at creation), if any
   */
  public static Optional<Problem> decide(
      String appClass,
      Optional<String> settingsClass,
      Optional<String> assigned,
      IngressClasses classes) {
    String named;
    String from;
    if (appClass != null) {
      named = appClass;
      from = "spec.ingress.className";
    } else if (settingsClass.isPresent()) {
      named = settingsClass.get();
      from = "the operator's DEFAULT_INGRESS_CLASS";
    } else if (assigned.isPresent()) {
      named = assigned.get();
      from = "the cluster's default when the Ingress was created";
    } else if (classes.defaults().isEmpty()) {
      return Optional.of(
          new Problem(
              NO_DEFAULT,
              "No IngressClass names the app's Ingress: spec.ingress.className and the"
                  + " operator's DEFAULT_INGRESS_CLASS are empty, and no IngressClass is marked"
                  + " as the cluster's default ("
                  + IngressClasses.DEFAULT_ANNOTATION
                  + "), so no ingress controller may serve it. "
                  + existing(classes)));
    } else {
      return Optional.empty();
    }
    if (classes.names().contains(named)) {
      return Optional.empty();
    }
    return Optional.of(
        new Problem(
            NOT_FOUND,
            "IngressClass "
                + named
                + " ("
                + from
                + ") does not exist: no ingress controller serves the app's Ingress. "
                + existing(classes)));
  }

  private static String existing(IngressClasses classes) {
    if (classes.names().isEmpty()) {
      return "The cluster has no IngressClass: install an ingress controller.";
    }
    return "IngressClasses in the cluster: "
        + String.join(", ", new TreeSet<>(classes.names()))
        + (classes.defaults().isEmpty() ? "" : " (default: " + classes.defaults().get(0) + ")")
        + ".";
  }
}
