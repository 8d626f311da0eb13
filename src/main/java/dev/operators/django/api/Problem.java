package dev.operators.django.api;

/**
 * Something that holds the app back, as the status and its Events say it: a CamelCase reason and a
 * message for people, which names objects and never secret data. The one record for it, in every
 * package (a missing reference, a pod that cannot start, a stall).
 */
public record Problem(String reason, String message) {}
