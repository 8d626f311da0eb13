package dev.operators.django.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.tls.AcmeProgress.Blocker;
import dev.operators.django.tls.AcmeProgress.Kind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AcmeProgressTest {
  static final String PENDING_404 =
      "Waiting for HTTP-01 challenge propagation: wrong status code" + " '404', expected '200'";
  static final String REFUSED =
      "Waiting for HTTP-01 challenge propagation: failed to perform self"
          + " check GET request 'http://polls.example.com/.well-known/acme-challenge/abc': Get"
          + " \"http://polls.example.com/.well-known/acme-challenge/abc\": dial tcp 10.0.0.9:80:"
          + " connect: connection refused";
  static final String UNAUTHORIZED =
      "Error accepting authorization: acme: authorization error for"
          + " polls.example.com: 403 urn:ietf:params:acme:error:unauthorized: The key authorization"
          + " file from the server did not match this challenge";

  static GenericKubernetesResource request(
      String name, String certificate, String issuer, String created) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("cert-manager.io/v1")
        .withKind("CertificateRequest")
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .withUid("uid-" + name)
        .withCreationTimestamp(created)
        .addToAnnotations(AcmeProgress.CERTIFICATE_NAME_ANNOTATION, certificate)
        .endMetadata()
        .addToAdditionalProperties("spec", Map.of("issuerRef", Map.of("name", issuer)))
        .build();
  }

  static GenericKubernetesResource owned(
      String kind,
      String name,
      String owner,
      Map<String, Object> spec,
      Map<String, Object> status) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("acme.cert-manager.io/v1")
        .withKind(kind)
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .withUid("uid-" + name)
        .addNewOwnerReference()
        .withName(owner)
        .withUid("uid-" + owner)
        .withKind("x")
        .withApiVersion("v1")
        .endOwnerReference()
        .endMetadata()
        .addToAdditionalProperties("spec", spec)
        .addToAdditionalProperties("status", status)
        .build();
  }

  static GenericKubernetesResource order(String name, String request, String state, String reason) {
    return owned(
        "Order",
        name,
        request,
        Map.of("dnsNames", List.of("polls.example.com")),
        Map.of("state", state, "reason", reason));
  }

  static GenericKubernetesResource challenge(
      String name, String order, String state, String reason) {
    return owned(
        "Challenge",
        name,
        order,
        Map.of("dnsName", "polls.example.com", "type", "HTTP-01"),
        Map.of("state", state, "reason", reason));
  }

  static Stream<Arguments> table() {
    var staging =
        request("polls-tls-1", "polls-tls", "letsencrypt-staging", "2026-12-02T09:00:00Z");
    var production =
        request("polls-tls-2", "polls-tls", "letsencrypt-prod", "2026-12-02T09:05:00Z");
    var other = request("blog-tls-1", "blog-tls", "letsencrypt-staging", "2026-12-02T09:10:00Z");
    return Stream.of(
        Arguments.of("no request yet", List.of(), List.of(), List.of(), Optional.empty()),
        Arguments.of(
            "order without challenges yet",
            List.of(staging),
            List.of(order("o1", "polls-tls-1", "pending", "")),
            List.of(),
            Optional.empty()),
        Arguments.of(
            "challenge presented, self check not run yet",
            List.of(staging),
            List.of(order("o1", "polls-tls-1", "pending", "")),
            List.of(challenge("c1", "o1", "pending", "")),
            Optional.empty()),
        Arguments.of(
            "nothing serves the token: pending with the self check's 404",
            List.of(staging),
            List.of(order("o1", "polls-tls-1", "pending", "")),
            List.of(challenge("c1", "o1", "pending", PENDING_404)),
            Optional.of(
                new Blocker(
                    "letsencrypt-staging",
                    Kind.ChallengePending,
                    "polls.example.com",
                    PENDING_404))),
        Arguments.of(
            "DNS elsewhere: pending with connection refused",
            List.of(staging),
            List.of(order("o1", "polls-tls-1", "pending", "")),
            List.of(challenge("c1", "o1", "pending", REFUSED)),
            Optional.of(
                new Blocker(
                    "letsencrypt-staging", Kind.ChallengePending, "polls.example.com", REFUSED))),
        Arguments.of(
            "the CA rejects: invalid challenge with the CA's detail, empty order reason",
            List.of(staging),
            List.of(order("o1", "polls-tls-1", "invalid", "")),
            List.of(challenge("c1", "o1", "invalid", UNAUTHORIZED)),
            Optional.of(
                new Blocker(
                    "letsencrypt-staging",
                    Kind.ChallengeFailed,
                    "polls.example.com",
                    UNAUTHORIZED))),
        Arguments.of(
            "the CA refuses the order itself",
            List.of(staging),
            List.of(order("o1", "polls-tls-1", "errored", "Failed to create Order: 400 rejected")),
            List.of(),
            Optional.of(
                new Blocker(
                    "letsencrypt-staging",
                    Kind.OrderFailed,
                    "",
                    "Failed to create Order: 400 rejected"))),
        Arguments.of(
            "cert-manager tidying its solver Ingresses is not a cause",
            List.of(staging),
            List.of(order("o1", "polls-tls-1", "pending", "")),
            List.of(
                challenge(
                    "c1",
                    "o1",
                    "pending",
                    "Waiting for HTTP-01 challenge propagation:"
                        + " multiple existing challenge solver ingresses found and cleaned up. retrying"
                        + " challenge sync")),
            Optional.empty()),
        Arguments.of(
            "valid challenge: nothing blocks",
            List.of(staging),
            List.of(order("o1", "polls-tls-1", "valid", "")),
            List.of(challenge("c1", "o1", "valid", "Successfully authorized domain")),
            Optional.empty()),
        Arguments.of(
            "the latest request counts: staging's old failure is history",
            List.of(staging, production),
            List.of(
                order("o1", "polls-tls-1", "pending", ""),
                order("o2", "polls-tls-2", "pending", "")),
            List.of(
                challenge("c1", "o1", "pending", PENDING_404),
                challenge("c2", "o2", "pending", REFUSED)),
            Optional.of(
                new Blocker(
                    "letsencrypt-prod", Kind.ChallengePending, "polls.example.com", REFUSED))),
        Arguments.of(
            "another Certificate's challenge is not this one's",
            List.of(other),
            List.of(order("o3", "blog-tls-1", "pending", "")),
            List.of(challenge("c3", "o3", "pending", PENDING_404)),
            Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void explains(
      String name,
      List<GenericKubernetesResource> requests,
      List<GenericKubernetesResource> orders,
      List<GenericKubernetesResource> challenges,
      Optional<Blocker> expected) {
    assertThat(AcmeProgress.blocker("polls-tls", requests, orders, challenges)).isEqualTo(expected);
  }
}
