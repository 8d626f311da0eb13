package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;

/** A child the operator owns; lets errors and conflicts name the object they are about. */
public interface ChildResource {
  String kind();

  String childName(DjangoApp app);
}
