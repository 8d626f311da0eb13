package dev.operators.django.status;

/**
 * Something that holds the app back, as the status and its Events say it: a CamelCase reason and a
 * message for people, which names objects and never secret data.
 */
public record Problem(String reason, String message) {}
