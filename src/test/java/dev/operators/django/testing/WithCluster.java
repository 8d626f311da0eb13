package dev.operators.django.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a real cluster, shared by the whole test run, and gives
 * each test method its own namespace. Test methods may take a {@link
 * io.fabric8.kubernetes.client.KubernetesClient} (defaulting to that namespace), a {@link
 * TestNamespace} and the {@link Cluster}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ClusterExtension.class)
public @interface WithCluster {}
