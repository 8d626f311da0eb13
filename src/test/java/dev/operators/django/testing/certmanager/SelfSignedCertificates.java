package dev.operators.django.testing.certmanager;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Real X.509 certificates for the simulator: self-signed, EC P-256, for the given names. */
final class SelfSignedCertificates {
  static final Duration VALIDITY = Duration.ofDays(90);

  /** PEM certificate and key, and the validity window. */
  record Issued(String certificatePem, String keyPem, Instant notBefore, Instant notAfter) {}

  private SelfSignedCertificates() {}

  static Issued issue(String issuerName, List<String> dnsNames) {
    try {
      var generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      var keys = generator.generateKeyPair();
      var notBefore = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      var notAfter = notBefore.plus(VALIDITY);
      var names = dnsNames.stream()
          .map(n -> new GeneralName(GeneralName.dNSName, n))
          .toArray(GeneralName[]::new);
      var holder = new JcaX509v3CertificateBuilder(
              new X500Name("CN=" + issuerName + " (django-operator test issuer)"),
              new BigInteger(64, new SecureRandom()),
              Date.from(notBefore), Date.from(notAfter),
              new X500Name("CN=" + dnsNames.get(0)),
              keys.getPublic())
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      var certificate = new JcaX509CertificateConverter().getCertificate(holder);
      return new Issued(pem(certificate), pem(new JcaPKCS8Generator(keys.getPrivate(), null)),
          notBefore, notAfter);
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue a test certificate", e);
    }
  }

  private static String pem(Object object) throws java.io.IOException {
    var out = new StringWriter();
    try (var writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
