package dev.operators.django.tls;

import dev.operators.django.tls.CertificateFacts.Certificate;
import dev.operators.django.tls.CertificateFacts.IssuedSecret;
import java.util.List;
import java.util.Optional;

/**
 * Which issuer the Ingress asks cert-manager for, decided from the world alone: the Ingress's
 * current annotation, the Certificate and the issued Secret. A restarted operator, a lost status or
 * an Ingress recreated by hand therefore reach the same answer. A pure function.
 *
 * <p>Rules: start on staging (unless skipStaging). Promote to production only when the staging
 * Certificate is Ready, not Issuing, its Secret was issued by staging, and its names cover the
 * hosts (and promotion is Automatic). Never go back from production, except when the hosts are no
 * longer covered by what production issued: new names start again on staging. While production
 * replaces a staging certificate that still serves, the app is Promoting, whatever the
 * Certificate's Ready says (cert-manager sets it False, reason IncorrectIssuer, for the reissue).
 *
 * <p>Longer than the ~250 lines a class should stay under, on purpose: one decision, its facts and
 * its rules read top to bottom in one file, in the order {@code IssuerDecisionTest}'s table and
 * invariant sweep check them; split, the precedence of the rules would be spread over files.
 */
public final class IssuerDecision {
  private IssuerDecision() {}

  public enum Stage {
    Staging,
    Production
  }

  public enum Phase {
    Issuing,
    Ready,
    Failed,
    Unavailable
  }

  /**
   * The observed world.
   *
   * @param certManagerInstalled whether the Certificate API exists in the cluster
   * @param ingressIssuer the issuer annotation on the app's Ingress now, if any
   * @param ingressHosts the TLS hosts on the app's Ingress now
   * @param certificate the Certificate named after the TLS Secret, if any
   * @param secret the issued TLS Secret's cert-manager annotations, if any
   * @param acme what blocks the Certificate's latest ACME request, if anything
   */
  public record Facts(
      boolean certManagerInstalled,
      Optional<String> ingressIssuer,
      List<String> ingressHosts,
      Optional<Certificate> certificate,
      Optional<IssuedSecret> secret,
      Optional<AcmeProgress.Blocker> acme) {

    /** Facts without ACME objects to explain anything. */
    public Facts(
        boolean certManagerInstalled,
        Optional<String> ingressIssuer,
        List<String> ingressHosts,
        Optional<Certificate> certificate,
        Optional<IssuedSecret> secret) {
      this(
          certManagerInstalled, ingressIssuer, ingressHosts, certificate, secret, Optional.empty());
    }
  }

  /**
   * The decision.
   *
   * @param issuer the issuer to write on the Ingress
   * @param promoted true when this decision moves staging to production
   * @param reason CamelCase reason for the CertificateReady condition
   * @param message what a person needs to know, with cert-manager's own message on failure
   */
  public record Decision(
      String issuer, Stage stage, Phase phase, boolean promoted, String reason, String message) {

    public boolean certificateReady() {
      return stage == Stage.Production && phase == Phase.Ready;
    }
  }

  public static Decision decide(TlsConfig config, List<String> hosts, Facts facts) {
    var production = config.productionIssuer();
    var staging = config.stagingIssuer();
    boolean onProduction = config.skipStaging() || productionServes(config, hosts, facts);
    boolean promoted = false;
    if (!onProduction
        && facts.certManagerInstalled()
        && stagingIssued(config, hosts, facts)
        && !stagingBlocked(config, facts)
        && !config.manualPromotion()) {
      onProduction = true;
      promoted = true;
    }
    var issuer = onProduction ? production : staging;
    var stage = onProduction ? Stage.Production : Stage.Staging;
    var names = String.join(", ", hosts);

    if (!facts.certManagerInstalled()) {
      return new Decision(
          issuer,
          stage,
          Phase.Unavailable,
          false,
          "CertManagerNotInstalled",
          "cert-manager is not installed (no cert-manager.io/v1 Certificate API): the Ingress asks"
              + " for "
              + issuer
              + " but nothing will issue a certificate.");
    }
    if (promoted) {
      return new Decision(
          issuer,
          stage,
          Phase.Issuing,
          true,
          "Promoted",
          "The staging certificate for "
              + names
              + " is Ready; moved to the production issuer "
              + issuer
              + ".");
    }
    var cert = facts.certificate().filter(c -> issuer.equals(c.issuerName()));
    var blocker = facts.acme().filter(b -> issuer.equals(b.issuer()));
    // On staging a blocked request is reported even next to an issued certificate: it is what
    // holds the promotion back.
    if (blocker.isPresent()
        && blocker.get().kind() != AcmeProgress.Kind.OrderFailed
        && (stage == Stage.Staging
            || !(cert.isPresent() && issued(issuer, hosts, cert.get(), facts.secret())))) {
      return blocked(issuer, stage, blocker.get());
    }
    var issuing = cert.flatMap(Certificate::issuing);
    if (issuing.isPresent() && !issuing.get().isTrue() && "Failed".equals(issuing.get().reason())) {
      return new Decision(
          issuer,
          stage,
          Phase.Failed,
          false,
          "IssuanceFailed",
          "cert-manager could not issue the "
              + stage.name().toLowerCase()
              + " certificate for "
              + names
              + " from "
              + issuer
              + ": "
              + issuing.get().message()
              + (stage == Stage.Staging
                  ? " It stays on staging until this is fixed."
                  : " It stays on production; cert-manager retries with backoff."));
    }
    if (blocker.isPresent()
        && !(cert.isPresent() && issued(issuer, hosts, cert.get(), facts.secret()))) {
      return new Decision(
          issuer,
          stage,
          Phase.Failed,
          false,
          "IssuanceFailed",
          "The CA refused the "
              + stage.name().toLowerCase()
              + " order for "
              + names
              + " from "
              + issuer
              + ": \""
              + blocker.get().cause()
              + "\"."
              + stays(stage));
    }
    if (cert.isPresent() && issued(issuer, hosts, cert.get(), facts.secret())) {
      if (stage == Stage.Staging) {
        return new Decision(
            issuer,
            stage,
            Phase.Ready,
            false,
            "AwaitingPromotion",
            "The staging certificate for "
                + names
                + " is Ready. Promotion is Manual: set"
                + " spec.ingress.tls.promotion to Automatic to move to "
                + production
                + ".");
      }
      return new Decision(
          issuer,
          stage,
          Phase.Ready,
          false,
          "Issued",
          "The production certificate for " + names + " from " + issuer + " is Ready.");
    }
    if (stage == Stage.Production && stagingServes(config, hosts, facts)) {
      // cert-manager reports this reissue as Ready=False, reason IncorrectIssuer, for the whole
      // production order: the old Secret still serves, so it is progress, not a failure.
      return new Decision(
          issuer,
          stage,
          Phase.Issuing,
          false,
          "Promoting",
          "Promoting to production: cert-manager is replacing the staging certificate for "
              + names
              + ", which keeps serving, with one from "
              + issuer
              + ".");
    }
    if (cert.isEmpty()) {
      return new Decision(
          issuer,
          stage,
          Phase.Issuing,
          false,
          "Issuing",
          "Waiting for cert-manager to request a certificate for "
              + names
              + " from "
              + issuer
              + ".");
    }
    var ready = cert.get().ready();
    return new Decision(
        issuer,
        stage,
        Phase.Issuing,
        false,
        "Issuing",
        "cert-manager is issuing the certificate for "
            + names
            + " from "
            + issuer
            + ready.map(r -> ": " + r.message()).orElse("."));
  }

  /** The reason that lives on a Challenge, quoted, where the user looks. */
  private static Decision blocked(String issuer, Stage stage, AcmeProgress.Blocker blocker) {
    if (blocker.kind() == AcmeProgress.Kind.ChallengeFailed) {
      return new Decision(
          issuer,
          stage,
          Phase.Failed,
          false,
          "ChallengeFailed",
          "The CA refused the HTTP-01 challenge for "
              + blocker.dnsName()
              + " from "
              + issuer
              + ": \""
              + blocker.cause()
              + "\"."
              + stays(stage));
    }
    return new Decision(
        issuer,
        stage,
        Phase.Issuing,
        false,
        "ChallengePending",
        "cert-manager cannot validate "
            + blocker.dnsName()
            + " for "
            + issuer
            + " yet: \""
            + blocker.cause()
            + "\". The name must resolve to this cluster's ingress controller"
            + " and the Ingress class must be one it serves; cert-manager keeps retrying.");
  }

  private static String stays(Stage stage) {
    return stage == Stage.Staging
        ? " It stays on staging until this is fixed."
        : " It stays on production; cert-manager retries with backoff.";
  }

  private static boolean stagingBlocked(TlsConfig config, Facts facts) {
    return facts.acme().filter(b -> config.stagingIssuer().equals(b.issuer())).isPresent();
  }

  /** The Secret holds a staging certificate for the hosts: what serves during a promotion. */
  private static boolean stagingServes(TlsConfig config, List<String> hosts, Facts facts) {
    return facts
        .secret()
        .filter(s -> config.stagingIssuer().equals(s.issuerName()))
        .filter(s -> s.altNames().containsAll(hosts))
        .isPresent();
  }

  /** Production is in use and covers the hosts; else new names go back to staging. */
  private static boolean productionServes(TlsConfig config, List<String> hosts, Facts facts) {
    var production = config.productionIssuer();
    var secret = facts.secret().filter(s -> production.equals(s.issuerName()));
    if (secret.isPresent()) {
      return secret.get().altNames().containsAll(hosts);
    }
    var certificate = facts.certificate().filter(c -> production.equals(c.issuerName()));
    if (certificate.isPresent()) {
      return certificate.get().dnsNames().containsAll(hosts);
    }
    return facts.ingressIssuer().filter(production::equals).isPresent()
        && facts.ingressHosts().containsAll(hosts);
  }

  private static boolean stagingIssued(TlsConfig config, List<String> hosts, Facts facts) {
    return facts
        .certificate()
        .filter(c -> config.stagingIssuer().equals(c.issuerName()))
        .filter(c -> issued(config.stagingIssuer(), hosts, c, facts.secret()))
        .isPresent();
  }

  /** Ready, not Issuing, issued by this issuer, for names that cover the hosts. */
  private static boolean issued(
      String issuer, List<String> hosts, Certificate certificate, Optional<IssuedSecret> secret) {
    return certificate.ready().map(CertificateFacts.Cond::isTrue).orElse(false)
        && certificate.issuing().isEmpty()
        && certificate.dnsNames().containsAll(hosts)
        && secret.map(s -> issuer.equals(s.issuerName())).orElse(false);
  }
}
