package dev.operators.django.release;

import static dev.operators.django.api.DjangoAppResources.IMAGE_ANNOTATION;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.release.ReleaseGate.Step;
import dev.operators.django.workload.ContainerEnvironment;
import dev.operators.django.workload.DjangoContainer;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * How the management Jobs look: migrate and collectstatic once per image, createsuperuser once per
 * content of its Secret. Their pods run the app's image with exactly the app's environment. Pure
 * functions of the app and what was observed of its references.
 */
public final class ManagementJobs {
  static final List<String> MIGRATE = List.of("python", "manage.py", "migrate", "--noinput");
  static final List<String> COLLECTSTATIC =
      List.of("python", "manage.py", "collectstatic", "--noinput");

  /** createsuperuser --noinput, unless the user exists: an existing user is success. */
  static final List<String> CREATE_SUPERUSER =
      List.of(
          "python",
          "manage.py",
          "shell",
          "-c",
          "import os\n"
              + "from django.contrib.auth import get_user_model\n"
              + "from django.core.management import call_command\n"
              + "User = get_user_model()\n"
              + "name = os.environ['DJANGO_SUPERUSER_USERNAME']\n"
              + "if User.objects.filter(**{User.USERNAME_FIELD: name}).exists():\n"
              + "    print('superuser ' + name + ' exists')\n"
              + "else:\n"
              + "    call_command('createsuperuser', interactive=False)\n");

  private ManagementJobs() {}

  /** The step's Job for the app's image. */
  public static Job step(DjangoApp app, ObservedReferences refs, Step step) {
    var spec = app.getSpec();
    var custom = step == Step.MIGRATE ? spec.migrations : spec.collectStatic;
    var command =
        custom != null && custom.command != null
            ? custom.command
            : step == Step.MIGRATE ? MIGRATE : COLLECTSTATIC;
    return build(
        app,
        refs,
        DjangoAppResources.imageJob(app, step.component),
        step.component,
        command,
        List.of());
  }

  /** createsuperuser for the current content of its Secret. */
  public static Job superuser(DjangoApp app, ObservedReferences refs) {
    var secret = app.getSpec().superuser.credentialsSecret;
    var fingerprint = refs.fingerprint("Secret", secret).orElseThrow();
    return build(
        app,
        refs,
        DjangoAppResources.job(app, DjangoAppResources.SUPERUSER, fingerprint),
        DjangoAppResources.SUPERUSER,
        CREATE_SUPERUSER,
        List.of(
            ContainerEnvironment.secretEnv("DJANGO_SUPERUSER_USERNAME", secret, "username"),
            ContainerEnvironment.secretEnv("DJANGO_SUPERUSER_EMAIL", secret, "email"),
            ContainerEnvironment.secretEnv("DJANGO_SUPERUSER_PASSWORD", secret, "password")));
  }

  private static Job build(
      DjangoApp app,
      ObservedReferences refs,
      String name,
      String component,
      List<String> command,
      List<EnvVar> extraEnv) {
    var jobs = app.getSpec().jobs;
    var base = DjangoContainer.container(app, refs);
    var env = new ArrayList<>(base.getEnv());
    env.addAll(extraEnv);
    var container =
        new ContainerBuilder(base).withName(component).withCommand(command).withEnv(env).build();
    var labels = DjangoAppResources.labels(app, component);
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(app.getMetadata().getNamespace())
        .withLabels(labels)
        .addToAnnotations(IMAGE_ANNOTATION, app.getSpec().image)
        .withOwnerReferences(DjangoAppResources.controllerReference(app))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(jobs != null && jobs.backoffLimit != null ? jobs.backoffLimit : 1)
        .withActiveDeadlineSeconds(
            jobs != null && jobs.activeDeadlineSeconds != null ? jobs.activeDeadlineSeconds : 900L)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withContainers(container)
        .withSecurityContext(DjangoContainer.podSecurityContext(app))
        .withEnableServiceLinks(false)
        .withAutomountServiceAccountToken(false)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
