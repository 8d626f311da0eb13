package dev.operators.django.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import java.util.Optional;

/**
 * The Kubernetes versions the operator runs on: 1.30 and later. The web pods stop with the
 * kubelet's {@code preStop: sleep} action, which older API servers reject (beta and on by default
 * from 1.30, GA in 1.34); the chart states the same range in its kubeVersion.
 */
public final class SupportedKubernetes {
  public static final int OLDEST_MINOR = 30;

  private SupportedKubernetes() {}

  /** Thrown when the API server is older than {@link #OLDEST_MINOR}; its message says so. */
  public static final class Unsupported extends IllegalStateException {
    Unsupported(String message) {
      super(message);
    }
  }

  /** Asks the API server its version; throws {@link Unsupported} when it is too old. */
  public static void require(KubernetesClient client) {
    var version = client.getKubernetesVersion();
    refusal(version)
        .ifPresent(
            message -> {
              throw new Unsupported(message);
            });
  }

  /**
   * Why the operator does not run on this version, or empty. Providers append to the minor ("30+"
   * on GKE and EKS); a version that cannot be read is let through rather than refused.
   */
  static Optional<String> refusal(VersionInfo version) {
    var major = leadingNumber(version.getMajor());
    var minor = leadingNumber(version.getMinor());
    if (major.isEmpty() || minor.isEmpty()) {
      return Optional.empty();
    }
    if (major.get() > 1 || (major.get() == 1 && minor.get() >= OLDEST_MINOR)) {
      return Optional.empty();
    }
    return Optional.of(
        "the API server is Kubernetes %s; django-operator needs 1.%d or later (its web pods stop with the kubelet's preStop sleep action)"
            .formatted(version.getGitVersion(), OLDEST_MINOR));
  }

  private static Optional<Integer> leadingNumber(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int end = 0;
    while (end < text.length() && Character.isDigit(text.charAt(end)) && end < 6) {
      end++;
    }
    return end == 0 ? Optional.empty() : Optional.of(Integer.parseInt(text.substring(0, end)));
  }
}
