package dev.operators.django.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * As {@link WithCluster}, and each test's namespace schedules its pods on a {@link RealNode},
 * started once for the test run: real pods, real images, real probes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WithCluster
@ExtendWith(RealNodeExtension.class)
public @interface WithRealNode {}
