package dev.operators.django.testing;

import java.util.List;
import java.util.Optional;

/**
 * Where {@code ./mvnw -Prun} runs the operator. A kube context may be production: the operator
 * would run there with the user's own credentials, on all namespaces and without leader election,
 * beside the cluster's own operator. So a context is used only when named ({@code -Dcontext=NAME});
 * {@code -Dcontext=local}, or no kubeconfig at all, starts the local control plane.
 *
 * @param context the context to use; empty for the local control plane
 * @param refusal why nothing runs, with what to type instead; empty when something does
 */
public record RunTarget(Optional<String> context, Optional<String> refusal) {
  public static final String LOCAL = "local";

  static RunTarget local() {
    return new RunTarget(Optional.empty(), Optional.empty());
  }

  static RunTarget context(String name) {
    return new RunTarget(Optional.of(name), Optional.empty());
  }

  static RunTarget refused(String why) {
    return new RunTarget(Optional.empty(), Optional.of(why));
  }

  public boolean isLocal() {
    return context.isEmpty() && refusal.isEmpty();
  }

  /**
   * @param current the kubeconfig's current context; empty without a kubeconfig
   * @param contexts every context of the kubeconfig
   * @param requested -Dcontext, if given
   */
  public static RunTarget decide(
      Optional<String> current, List<String> contexts, Optional<String> requested) {
    if (requested.isPresent()) {
      var name = requested.get();
      if (name.equals(LOCAL)) {
        return local();
      }
      if (contexts.contains(name)) {
        return context(name);
      }
      return refused(
          "there is no kube context %s (contexts: %s); -Dcontext=%s starts a local control plane"
              .formatted(name, contexts.isEmpty() ? "none" : String.join(", ", contexts), LOCAL));
    }
    if (current.isEmpty()) {
      return local();
    }
    return refused(
        """
        the current kube context is %1$s. ./mvnw -Prun would run the operator there with your \
        own credentials, on all namespaces and without leader election, beside any operator the \
        cluster runs; it does so only when asked:
          ./mvnw -Prun -Dcontext=%1$s     # run against %1$s
          ./mvnw -Prun -Dcontext=%2$s        # a local control plane instead"""
            .formatted(current.get(), LOCAL));
  }
}
