package dev.operators.django.testing;

/** The namespace a test method owns; created before the test and deleted after it. */
public record TestNamespace(String name) {
  @Override
  public String toString() {
    return name;
  }
}
