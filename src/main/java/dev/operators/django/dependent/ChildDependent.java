package dev.operators.django.dependent;

import static dev.operators.django.api.DjangoAppResources.MANAGED_SELECTOR;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.kube.Informers;
import dev.operators.django.kube.KnownMatches;
import dev.operators.django.kube.PrunedItemStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;

/**
 * A child the operator owns: one object of kind {@code R} per DjangoApp, named by {@link
 * #childName}. Errors and conflicts name it by {@link #kind} and that name.
 */
public abstract class ChildDependent<R extends HasMetadata>
    extends KubernetesDependentResource<R, DjangoApp> {

  private final KnownMatches knownMatches = new KnownMatches();

  protected ChildDependent(Class<R> type) {
    super(type);
  }

  public String kind() {
    return resourceType().getSimpleName();
  }

  public abstract String childName(DjangoApp app);

  /** The labels that select this kind of child among the objects of its type. */
  protected String labelSelector() {
    return MANAGED_SELECTOR;
  }

  /**
   * The informer of this kind of child, in the namespaces of the controller. Its cache is pruned
   * where that is safe (see {@link PrunedItemStore#forController}), which the informer annotation
   * cannot express.
   */
  @Override
  protected InformerEventSource<R, DjangoApp> createEventSource(
      EventSourceContext<DjangoApp> context) {
    // java-operator-sdk's matcher reads the operator's own managed-fields entry of what it applies
    boolean applied =
        context.getControllerConfiguration().getConfigurationService().shouldUseSSA(this);
    var source =
        new InformerEventSource<R, DjangoApp>(
            Informers.of(
                    context,
                    resourceType(),
                    name(),
                    labelSelector(),
                    getSecondaryToPrimaryMapper(context).orElseThrow(),
                    () -> new PrunedItemStore<>(applied))
                .build(),
            context) {
          @Override
          public void onDelete(R child, boolean deletedFinalStateUnknown) {
            knownMatches.forget(child);
            super.onDelete(child, deletedFinalStateUnknown);
          }
        };
    setEventSource(source);
    return source;
  }

  /**
   * The owner reference marks the app as the child's controller, as Kubernetes' own controllers do,
   * so that {@code kubectl describe} shows "Controlled By" and other controllers know the object is
   * managed. (java-operator-sdk's default reference has no {@code controller} field.)
   */
  @Override
  protected void addReferenceHandlingMetadata(R desired, DjangoApp app) {
    if (addOwnerReference()) {
      desired.addOwnerReference(DjangoAppResources.controllerReference(app));
    }
  }

  /**
   * java-operator-sdk's matcher, skipped where its answer for this child and this desired object is
   * known to be yes (see {@link KnownMatches}). {@code desired} is fresh from {@link #desired}; it
   * is digested before the matcher adds the owner reference to it.
   */
  @Override
  public Result<R> match(R actual, R desired, DjangoApp app, Context<DjangoApp> context) {
    var digest = KnownMatches.digest(desired, app);
    if (knownMatches.known(actual, digest)) {
      return Result.computed(true, desired);
    }
    var result = super.match(actual, desired, app, context);
    knownMatches.record(actual, digest, result.matched());
    if (result.matched()
        && eventSource()
            .flatMap(s -> s.get(ResourceID.fromResource(actual)))
            .filter(cached -> cached.getMetadata().getUid().equals(actual.getMetadata().getUid()))
            .isEmpty()) {
      knownMatches.forget(actual); // deleted while it was compared: onDelete came first
    }
    return result;
  }

  /**
   * java-operator-sdk updates the kinds it does not server-side apply (here: ConfigMaps) with a PUT
   * of the actual object, the desired content merged in, metadata and all. The operator's client
   * reads only its own managed-fields entry ({@link dev.operators.django.kube.OwnManagedFields}),
   * and a PUT that carries managed fields replaces the server's record of every other manager's;
   * without them the server keeps it.
   */
  @Override
  public R update(R actual, R desired, DjangoApp app, Context<DjangoApp> context) {
    var managedFields = actual.getMetadata().getManagedFields();
    if (useSSA(context) || managedFields == null || managedFields.isEmpty()) {
      return super.update(actual, desired, app, context);
    }
    var withoutManagedFields = context.getClient().getKubernetesSerialization().clone(actual);
    withoutManagedFields.getMetadata().setManagedFields(null);
    return super.update(withoutManagedFields, desired, app, context);
  }

  /**
   * The app's child in the informer cache, looked up by its name. java-operator-sdk's default
   * builds the whole desired object just to learn that name, and hashes every cached secondary of
   * the app into a set; this was a measurable share of the operator's CPU with 1,000 apps. As with
   * the default, an object of that name that the app does not own is not its child.
   */
  @Override
  public Optional<R> getSecondaryResource(DjangoApp app, Context<DjangoApp> context) {
    var uid = app.getMetadata().getUid();
    return eventSource()
        .flatMap(s -> s.get(new ResourceID(childName(app), app.getMetadata().getNamespace())))
        .filter(
            child ->
                child.getMetadata().getOwnerReferences().stream()
                    .anyMatch(owner -> uid != null && uid.equals(owner.getUid())));
  }

  /**
   * The app's child of the dependent named {@code dependent}, from that dependent's informer: by
   * the child's name, and only if the app owns it. For readers outside the workflow.
   */
  static <R extends HasMetadata> Optional<R> cached(
      Context<DjangoApp> context,
      Class<R> type,
      String dependent,
      String childName,
      DjangoApp app) {
    var uid = app.getMetadata().getUid();
    return Informers.cached(
            context, type, dependent, new ResourceID(childName, app.getMetadata().getNamespace()))
        .filter(
            child ->
                child.getMetadata().getOwnerReferences().stream()
                    .anyMatch(owner -> uid != null && uid.equals(owner.getUid())));
  }
}
