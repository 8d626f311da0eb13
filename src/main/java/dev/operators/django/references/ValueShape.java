package dev.operators.django.references;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the operator keeps of a referenced value instead of the value: whether it is blank and, for
 * a key named like an email address, whether Django would accept it as one. Enough to refuse a
 * createsuperuser Job that would fail, or create a superuser without a password, before it runs.
 */
enum ValueShape {
  BLANK,
  EMAIL,
  TEXT;

  /** The dot-atom or quoted local part that Django's EmailValidator accepts. */
  private static final Pattern USER =
      Pattern.compile(
          "[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(\\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*"
              + "|\"([\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f!#-\\[\\]-\\x7f]"
              + "|\\\\[\\x01-\\x09\\x0b\\x0c\\x0e-\\x7f])*\"");

  /** Labels, then a top-level domain of two or more characters not ending in '-'. */
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9-]{1,62}[A-Za-z0-9]"
              + "|localhost|\\[[A-Fa-f0-9:.]+\\]");

  private static final int MAX_EMAIL = 320;

  static ValueShape of(String key, String value) {
    if (value.isBlank()) {
      return BLANK;
    }
    return key.toLowerCase(Locale.ROOT).contains("email") && isEmail(value) ? EMAIL : TEXT;
  }

  static boolean isEmail(String value) {
    var at = value.lastIndexOf('@');
    if (at <= 0 || at == value.length() - 1 || value.length() > MAX_EMAIL) {
      return false;
    }
    if (!USER.matcher(value.substring(0, at)).matches()) {
      return false;
    }
    var domain = value.substring(at + 1);
    try {
      return DOMAIN.matcher(IDN.toASCII(domain)).matches();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
