package dev.operators.django.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Django application: its Deployment, Service, ConfigMap, Secret and Ingress. */
@Group(DjangoApp.GROUP)
@Version(DjangoApp.VERSION)
@ShortNames({"dj", "djangoapp"})
@Categories({"django"})
@ValidationRule(
    value = "has(self.spec)",
    message = "spec is required, with at least spec.image",
    reason = "FieldValueRequired",
    fieldPath = ".spec")
@ValidationRule(
    value =
        "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$') && size(self.metadata.name) <= 40",
    message =
        "metadata.name must be a DNS label of at most 40 characters (lowercase letters, digits"
            + " and '-', starting with a letter): it names the app's Service, child resources and Jobs")
@ValidationRule(
    value =
        "!has(self.spec) || !has(self.spec.processes) || self.spec.processes.all(p,"
            + " size(self.metadata.name) + size(p.name) <= 51)",
    message =
        "a process's name and the app's together have at most 51 characters: they name its"
            + " Deployment or StatefulSet (<app>-<process>)",
    fieldPath = ".spec.processes")
@ValidationRule(
    value =
        "!has(self.spec) || !has(self.spec.schedules) || self.spec.schedules.all(s,"
            + " size(self.metadata.name) + size(s.name) <= 51)",
    message =
        "a schedule's name and the app's together have at most 51 characters: they name its"
            + " CronJob (<app>-<schedule>), whose limit is 52",
    fieldPath = ".spec.schedules")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Status",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(
    name = "Replicas",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.replicas")
@AdditionalPrinterColumn(
    name = "Available",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.readyReplicas")
@AdditionalPrinterColumn(
    name = "URL",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.url")
@AdditionalPrinterColumn(
    name = "TLS",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.tls.stage")
@AdditionalPrinterColumn(
    name = "Processes",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    jsonPath = ".status.processSummary")
@AdditionalPrinterColumn(
    name = "Message",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].message")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class DjangoApp extends CustomResource<DjangoAppSpec, DjangoAppStatus>
    implements Namespaced {
  public static final String GROUP = "django.operators.dev";
  public static final String VERSION = "v1alpha1";

  /** What kubectl explain djangoapp shows. */
  public static final String DESCRIPTION =
      "A Django application run by django-operator: a"
          + " Deployment of gunicorn, a Service, a ConfigMap of settings, a generated secret key and"
          + " an Ingress with TLS from cert-manager (staging first), with migrate, collectstatic and"
          + " createsuperuser run as Jobs before a new image serves.";

  @Override
  @JsonPropertyDescription(
      "What the app team writes: the image, settings, database, static"
          + " files, ingress and Jobs. The operator never writes it.")
  public DjangoAppSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator observed: conditions (Ready, Available,"
          + " Reconciling, Stalled, ...) with reasons and messages, replicas, URL, image, TLS.")
  public DjangoAppStatus getStatus() {
    return super.getStatus();
  }
}
