package dev.operators.django.hosts;

import java.util.List;
import java.util.Set;

/**
 * The cluster's IngressClasses as the operator needs them: their names, and which are marked as the
 * cluster's default ({@value #DEFAULT_ANNOTATION}).
 *
 * @param names every IngressClass
 * @param defaults the default ones, oldest first (the API server gives a class-less new Ingress one
 *     of them)
 */
public record IngressClasses(Set<String> names, List<String> defaults) {
  public static final String DEFAULT_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";

  public IngressClasses {
    names = Set.copyOf(names);
    defaults = List.copyOf(defaults);
  }
}
