package dev.operators.django.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.tls.CertificateFacts.Certificate;
import dev.operators.django.tls.CertificateFacts.Cond;
import dev.operators.django.tls.CertificateFacts.IssuedSecret;
import dev.operators.django.tls.IssuerDecision.Decision;
import dev.operators.django.tls.IssuerDecision.Facts;
import dev.operators.django.tls.IssuerDecision.Phase;
import dev.operators.django.tls.IssuerDecision.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IssuerDecisionTest {
  static final String STAGING = "letsencrypt-staging";
  static final String PROD = "letsencrypt-prod";
  static final List<String> HOSTS = List.of("polls.example.com");
  static final List<String> OLD_HOSTS = List.of("old.example.com");
  static final TlsConfig AUTO = new TlsConfig("ClusterIssuer", STAGING, PROD, false, false);
  static final TlsConfig MANUAL = new TlsConfig("ClusterIssuer", STAGING, PROD, false, true);
  static final TlsConfig SKIP = new TlsConfig("ClusterIssuer", STAGING, PROD, true, false);

  static final Cond READY = new Cond("True", "Ready", "Certificate is up to date");
  static final Cond NOT_READY = new Cond("False", "DoesNotExist", "Secret does not exist");
  static final Cond ISSUING = new Cond("True", "IncorrectIssuer", "Issuing certificate");

  /** As the real readiness controller reports a reissue for a new issuer (cert-manager 1.19). */
  static final Cond INCORRECT_ISSUER =
      new Cond(
          "False",
          "IncorrectIssuer",
          "Issuing certificate as Secret was previously issued by"
              + " \"ClusterIssuer.cert-manager.io/letsencrypt-staging\"");

  static final Cond DOES_NOT_EXIST_ISSUING =
      new Cond("True", "DoesNotExist", "Issuing certificate as Secret does not exist");
  static final Cond FAILED =
      new Cond(
          "False",
          "Failed",
          "The certificate request has failed to complete and will be retried: 429 rateLimited");

  /** The certificate states cert-manager goes through, for an issuer and names. */
  static List<Optional<Certificate>> certificates() {
    var all = new ArrayList<Optional<Certificate>>();
    all.add(Optional.empty());
    for (var issuer : List.of(STAGING, PROD)) {
      for (var names : List.of(HOSTS, OLD_HOSTS)) {
        all.add(Optional.of(cert(issuer, names, READY, null)));
        all.add(Optional.of(cert(issuer, names, READY, ISSUING)));
        all.add(Optional.of(cert(issuer, names, NOT_READY, ISSUING)));
        all.add(Optional.of(cert(issuer, names, NOT_READY, FAILED)));
        all.add(Optional.of(cert(issuer, names, READY, FAILED)));
        all.add(Optional.of(cert(issuer, names, null, null)));
      }
    }
    return all;
  }

  static List<Optional<IssuedSecret>> secrets() {
    var all = new ArrayList<Optional<IssuedSecret>>();
    all.add(Optional.empty());
    for (var issuer : List.of(STAGING, PROD)) {
      for (var names : List.of(HOSTS, OLD_HOSTS)) {
        all.add(Optional.of(new IssuedSecret(issuer, names)));
      }
    }
    return all;
  }

  static List<Facts> everyCombination() {
    var all = new ArrayList<Facts>();
    for (var installed : List.of(true, false)) {
      for (var ingress :
          List.of(Optional.<String>empty(), Optional.of(STAGING), Optional.of(PROD))) {
        for (var ingressHosts : List.of(HOSTS, OLD_HOSTS)) {
          for (var cert : certificates()) {
            for (var secret : secrets()) {
              all.add(new Facts(installed, ingress, ingressHosts, cert, secret));
            }
          }
        }
      }
    }
    return all;
  }

  @Test
  void invariantsHoldForEveryCombinationOfFacts() {
    var combinations = everyCombination();
    assertThat(combinations).hasSize(2 * 3 * 2 * 25 * 5);
    for (var facts : combinations) {
      for (var config : List.of(AUTO, MANUAL, SKIP)) {
        var d = IssuerDecision.decide(config, HOSTS, facts);
        var why = config + " " + facts + " -> " + d;
        assertThat(d.issuer()).as(why).isEqualTo(d.stage() == Stage.Production ? PROD : STAGING);
        if (d.promoted()) {
          assertThat(config.manualPromotion()).as(why).isFalse();
          var cert = facts.certificate().orElseThrow();
          assertThat(cert.issuerName()).as(why).isEqualTo(STAGING);
          assertThat(cert.ready()).as(why).contains(READY);
          assertThat(cert.issuing()).as(why).isEmpty();
          assertThat(cert.dnsNames()).as(why).containsAll(HOSTS);
          assertThat(facts.secret().orElseThrow().issuerName()).as(why).isEqualTo(STAGING);
        }
        boolean productionCoversHosts =
            facts
                .secret()
                .filter(s -> s.issuerName().equals(PROD) && s.altNames().containsAll(HOSTS))
                .isPresent();
        if (productionCoversHosts || config.skipStaging()) {
          assertThat(d.stage()).as("never demoted: " + why).isEqualTo(Stage.Production);
        }
        boolean anythingOnProduction =
            facts.ingressIssuer().filter(PROD::equals).isPresent()
                || facts.certificate().filter(c -> c.issuerName().equals(PROD)).isPresent()
                || facts.secret().filter(s -> s.issuerName().equals(PROD)).isPresent();
        if (!anythingOnProduction && !d.promoted() && !config.skipStaging()) {
          assertThat(d.stage()).as("staging first: " + why).isEqualTo(Stage.Staging);
        }
        if (!facts.certManagerInstalled()) {
          assertThat(d.phase()).as(why).isEqualTo(Phase.Unavailable);
          assertThat(d.promoted()).as(why).isFalse();
        }
        if (d.certificateReady()) {
          assertThat(facts.secret().orElseThrow().issuerName()).as(why).isEqualTo(PROD);
          assertThat(facts.certificate().orElseThrow().ready()).as(why).contains(READY);
        }
        boolean stagingStillServes =
            facts
                .secret()
                .filter(s -> s.issuerName().equals(STAGING) && s.altNames().containsAll(HOSTS))
                .isPresent();
        if (d.stage() == Stage.Production
            && stagingStillServes
            && d.phase() != Phase.Failed
            && facts.certManagerInstalled()
            && !d.promoted()) {
          assertThat(d.reason())
              .as("a promotion in progress is progress: " + why)
              .isEqualTo("Promoting");
        }
        if (d.phase() == Phase.Failed) {
          assertThat(d.message()).as(why).contains("429 rateLimited");
        }
        assertThat(d.reason()).as(why).matches("[A-Z][A-Za-z]+");
      }
    }
  }

  static Stream<Arguments> table() {
    var stagingReady = cert(STAGING, HOSTS, READY, null);
    var prodReady = cert(PROD, HOSTS, READY, null);
    return Stream.of(
        row(
            "new app: staging first",
            AUTO,
            facts(null, null, null),
            STAGING,
            Phase.Issuing,
            "Issuing",
            false),
        row(
            "staging issuing",
            AUTO,
            facts(STAGING, cert(STAGING, HOSTS, NOT_READY, ISSUING), null),
            STAGING,
            Phase.Issuing,
            "Issuing",
            false),
        row(
            "staging Ready but Secret not yet annotated",
            AUTO,
            facts(STAGING, stagingReady, null),
            STAGING,
            Phase.Issuing,
            "Issuing",
            false),
        row(
            "staging Ready: promote",
            AUTO,
            facts(STAGING, stagingReady, secret(STAGING, HOSTS)),
            PROD,
            Phase.Issuing,
            "Promoted",
            true),
        row(
            "staging Ready, manual: wait",
            MANUAL,
            facts(STAGING, stagingReady, secret(STAGING, HOSTS)),
            STAGING,
            Phase.Ready,
            "AwaitingPromotion",
            false),
        row(
            "staging Ready for other names: no promotion",
            AUTO,
            facts(STAGING, cert(STAGING, OLD_HOSTS, READY, null), secret(STAGING, OLD_HOSTS)),
            STAGING,
            Phase.Issuing,
            "Issuing",
            false),
        row(
            "staging failed: reported, no promotion",
            AUTO,
            facts(STAGING, cert(STAGING, HOSTS, NOT_READY, FAILED), null),
            STAGING,
            Phase.Failed,
            "IssuanceFailed",
            false),
        row(
            "promoted, shim not yet updated the Certificate",
            AUTO,
            facts(PROD, stagingReady, secret(STAGING, HOSTS)),
            PROD,
            Phase.Issuing,
            "Promoting",
            false),
        row(
            "observed +12 ms: issuerRef on production, Ready=True, Issuing=True(IncorrectIssuer)",
            AUTO,
            facts(PROD, cert(PROD, HOSTS, READY, ISSUING), secret(STAGING, HOSTS)),
            PROD,
            Phase.Issuing,
            "Promoting",
            false),
        row(
            "observed +31 ms..order end: Ready=False(IncorrectIssuer), Issuing=True",
            AUTO,
            facts(PROD, cert(PROD, HOSTS, INCORRECT_ISSUER, ISSUING), secret(STAGING, HOSTS)),
            PROD,
            Phase.Issuing,
            "Promoting",
            false),
        row(
            "observed: production order failed, Ready=False(IncorrectIssuer), Issuing=Failed",
            AUTO,
            facts(PROD, cert(PROD, HOSTS, INCORRECT_ISSUER, FAILED), secret(STAGING, HOSTS)),
            PROD,
            Phase.Failed,
            "IssuanceFailed",
            false),
        row(
            "observed +364 ms: Secret on production, Issuing removed, Ready still False",
            AUTO,
            facts(PROD, cert(PROD, HOSTS, INCORRECT_ISSUER, null), secret(PROD, HOSTS)),
            PROD,
            Phase.Issuing,
            "Issuing",
            false),
        row(
            "observed first issuance: Ready=False(DoesNotExist), Issuing=True(DoesNotExist)",
            AUTO,
            facts(STAGING, cert(STAGING, HOSTS, NOT_READY, DOES_NOT_EXIST_ISSUING), null),
            STAGING,
            Phase.Issuing,
            "Issuing",
            false),
        row(
            "staging Ready=True, Issuing=True (a renewal on staging): no promotion",
            AUTO,
            facts(STAGING, cert(STAGING, HOSTS, READY, ISSUING), secret(STAGING, HOSTS)),
            STAGING,
            Phase.Issuing,
            "Issuing",
            false),
        row(
            "production issued",
            AUTO,
            facts(PROD, prodReady, secret(PROD, HOSTS)),
            PROD,
            Phase.Ready,
            "Issued",
            false),
        row(
            "production failed: not demoted",
            AUTO,
            facts(PROD, cert(PROD, HOSTS, READY, FAILED), secret(STAGING, HOSTS)),
            PROD,
            Phase.Failed,
            "IssuanceFailed",
            false),
        row(
            "Ingress deleted after promotion",
            AUTO,
            facts(null, prodReady, secret(PROD, HOSTS)),
            PROD,
            Phase.Ready,
            "Issued",
            false),
        row(
            "restart with status lost, Certificate not cached yet",
            AUTO,
            facts(PROD, null, secret(PROD, HOSTS)),
            PROD,
            Phase.Issuing,
            "Issuing",
            false),
        row(
            "host changed after production: staging first",
            AUTO,
            new Facts(
                true,
                Optional.of(PROD),
                OLD_HOSTS,
                Optional.of(cert(PROD, OLD_HOSTS, READY, null)),
                Optional.of(new IssuedSecret(PROD, OLD_HOSTS))),
            STAGING,
            Phase.Issuing,
            "Issuing",
            false),
        row("skip staging", SKIP, facts(null, null, null), PROD, Phase.Issuing, "Issuing", false),
        row(
            "nothing serves the staging token: ChallengePending, quoted",
            AUTO,
            acme(
                facts(STAGING, cert(STAGING, HOSTS, NOT_READY, DOES_NOT_EXIST_ISSUING), null),
                STAGING,
                AcmeProgress.Kind.ChallengePending),
            STAGING,
            Phase.Issuing,
            "ChallengePending",
            false),
        row(
            "the CA refused the staging challenge: ChallengeFailed, not promoted",
            AUTO,
            acme(
                facts(STAGING, cert(STAGING, HOSTS, NOT_READY, FAILED), null),
                STAGING,
                AcmeProgress.Kind.ChallengeFailed),
            STAGING,
            Phase.Failed,
            "ChallengeFailed",
            false),
        row(
            "staging Ready but a staging challenge pending: no promotion",
            AUTO,
            acme(
                facts(STAGING, stagingReady, secret(STAGING, HOSTS)),
                STAGING,
                AcmeProgress.Kind.ChallengePending),
            STAGING,
            Phase.Issuing,
            "ChallengePending",
            false),
        row(
            "production challenge pending during the promotion: reported, not demoted",
            AUTO,
            acme(
                facts(PROD, cert(PROD, HOSTS, INCORRECT_ISSUER, ISSUING), secret(STAGING, HOSTS)),
                PROD,
                AcmeProgress.Kind.ChallengePending),
            PROD,
            Phase.Issuing,
            "ChallengePending",
            false),
        row(
            "production order refused by the CA: IssuanceFailed with the order's reason",
            AUTO,
            acme(
                facts(PROD, cert(PROD, HOSTS, INCORRECT_ISSUER, ISSUING), secret(STAGING, HOSTS)),
                PROD,
                AcmeProgress.Kind.OrderFailed),
            PROD,
            Phase.Failed,
            "IssuanceFailed",
            false),
        row(
            "no cert-manager",
            AUTO,
            new Facts(false, Optional.empty(), List.of(), Optional.empty(), Optional.empty()),
            STAGING,
            Phase.Unavailable,
            "CertManagerNotInstalled",
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(
      String name,
      TlsConfig config,
      Facts facts,
      String issuer,
      Phase phase,
      String reason,
      boolean promoted) {
    Decision decision = IssuerDecision.decide(config, HOSTS, facts);
    assertThat(decision.issuer()).isEqualTo(issuer);
    assertThat(decision.phase()).isEqualTo(phase);
    assertThat(decision.reason()).isEqualTo(reason);
    assertThat(decision.promoted()).isEqualTo(promoted);
  }

  static Arguments row(
      String name,
      TlsConfig config,
      Facts facts,
      String issuer,
      Phase phase,
      String reason,
      boolean promoted) {
    return Arguments.of(name, config, facts, issuer, phase, reason, promoted);
  }

  static Facts facts(String ingressIssuer, Certificate cert, IssuedSecret secret) {
    return new Facts(
        true,
        Optional.ofNullable(ingressIssuer),
        ingressIssuer == null ? List.of() : HOSTS,
        Optional.ofNullable(cert),
        Optional.ofNullable(secret));
  }

  static Facts acme(Facts facts, String issuer, AcmeProgress.Kind kind) {
    return new Facts(
        facts.certManagerInstalled(),
        facts.ingressIssuer(),
        facts.ingressHosts(),
        facts.certificate(),
        facts.secret(),
        Optional.of(
            new AcmeProgress.Blocker(
                issuer,
                kind,
                "polls.example.com",
                "Waiting for HTTP-01 challenge propagation: 429 rateLimited")));
  }

  static IssuedSecret secret(String issuer, List<String> names) {
    return new IssuedSecret(issuer, names);
  }

  static Certificate cert(String issuer, List<String> names, Cond ready, Cond issuing) {
    return new Certificate(
        issuer,
        names,
        Optional.ofNullable(ready),
        Optional.ofNullable(issuing),
        Optional.of("2027-02-20T10:00:00Z"));
  }
}
