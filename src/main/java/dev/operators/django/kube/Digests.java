package dev.operators.django.kube;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The digest behind the operator's fingerprints and hashes. */
public final class Digests {
  private Digests() {}

  /** A fresh SHA-256 digest; every JVM has one. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
