package dev.operators.django.reconciler;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.dependent.DeploymentDependent;
import dev.operators.django.dependent.IngressDependent;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.references.ReferenceWatch;
import dev.operators.django.release.JobWatch;
import dev.operators.django.tls.CertificateWatch;
import dev.operators.django.tls.TlsOutcome;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Optional;

/**
 * What the decisions read, from the caches, each read once before anything is decided (a second
 * read of the same cache could see a newer version).
 *
 * @param references the Secrets and ConfigMaps the app references
 * @param web the web Deployment
 * @param tls the certificate's state and the issuer decision; empty without TLS
 * @param jobs the app's management Jobs
 * @param ingress the app's Ingress
 */
record AppFacts(
    ObservedReferences references,
    Optional<Deployment> web,
    Optional<TlsOutcome> tls,
    List<Job> jobs,
    Optional<Ingress> ingress) {

  static AppFacts of(
      DjangoApp app,
      Context<DjangoApp> context,
      OperatorSettings settings,
      ReferenceWatch references,
      CertificateWatch certificates) {
    var refs = references.observe(app, context);
    var web = DeploymentDependent.current(app, context);
    var ingress = IngressDependent.current(app, context);
    var tls = certificates.observe(app, settings, ingress, context);
    return new AppFacts(refs, web, tls, JobWatch.jobs(app, context), ingress);
  }
}
