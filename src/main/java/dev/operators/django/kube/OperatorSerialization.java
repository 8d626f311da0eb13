package dev.operators.django.kube;

import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.cfg.HandlerInstantiator;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.jsontype.TypeIdResolver;
import com.fasterxml.jackson.databind.jsontype.TypeResolverBuilder;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.UnmatchedFieldTypeModule;
import java.io.IOException;
import java.util.List;

/**
 * The JSON mapping of the operator's client: fabric8's, with changes that a profile of the operator
 * under load asked for (every object it watches, applies or compares passes through it). Figures
 * are per call with JDK 25 and C1 only, as the image runs the operator.
 *
 * <ul>
 *   <li>Getters (when writing), setters and constructors (when reading) are called through lambdas
 *       (Jackson's Blackbird module) instead of reflection. Since JDK 18 reflection runs on method
 *       handles that the JIT cannot inline from Jackson's property tables; with 1,000 apps
 *       converging, reflective calls were a quarter of the operator's CPU samples.
 *   <li>fabric8's {@link UnmatchedFieldTypeModule} is left out. It lets a value in a model's {@code
 *       additionalProperties} stand in for a typed field of the same name, which only OpenShift
 *       Templates use (a {@code "${REPLICAS}"} where a number belongs). To do that it wraps every
 *       property of every model: each field written first fetches the additional properties
 *       reflectively, and each setter stays reflective. Writing the five children of an app took 42
 *       &micro;s with it and 24 without; reading a Deployment 19.6 and 16.9. The JSON is the same
 *       either way.
 *   <li>Managed fields are read for the operator's own field manager only ({@link
 *       OwnManagedFields}).
 *   <li>A deep copy ({@link KubernetesSerialization#clone}) goes through Jackson's token buffer
 *       instead of a JSON string: java-operator-sdk copies the app that way before every reconcile
 *       (its default cloner). 29 against 22 &micro;s per app.
 * </ul>
 */
public final class OperatorSerialization {
  private OperatorSerialization() {}

  public static KubernetesSerialization create(String fieldManager) {
    return create(fieldManager, new ObjectMapper());
  }

  static KubernetesSerialization create(String fieldManager, ObjectMapper mapper) {
    // fabric8 registers its module when it configures the mapper; Jackson ignores a second module
    // of the same type id, so an empty one of that id, registered first, keeps it out.
    mapper.registerModule(
        new SimpleModule(UnmatchedFieldTypeModule.class.getName(), Version.unknownVersion()));
    mapper.registerModule(new BlackbirdModule());
    mapper.addMixIn(ObjectMeta.class, ObjectMetaMixin.class);
    mapper.setHandlerInstantiator(new OwnManagedFieldsInstantiator(fieldManager));
    return new KubernetesSerialization(mapper, true) {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T clone(T resource) {
        try (var buffer = new TokenBuffer(mapper, false)) {
          mapper.writeValue(buffer, resource);
          try (var parser = buffer.asParser()) {
            return (T) mapper.readValue(parser, resource.getClass());
          }
        } catch (IOException e) {
          throw new IllegalStateException(
              "could not copy a " + resource.getClass().getSimpleName(), e);
        }
      }
    };
  }

  /** Puts {@link OwnManagedFields} on {@link ObjectMeta#getManagedFields()}. */
  abstract static class ObjectMetaMixin {
    @JsonDeserialize(using = OwnManagedFields.class)
    private List<ManagedFieldsEntry> managedFields;
  }

  /** Makes the {@link OwnManagedFields} that the mixin names, for the operator's manager. */
  private static final class OwnManagedFieldsInstantiator extends HandlerInstantiator {
    private final String fieldManager;

    OwnManagedFieldsInstantiator(String fieldManager) {
      this.fieldManager = fieldManager;
    }

    @Override
    public JsonDeserializer<?> deserializerInstance(
        DeserializationConfig config, Annotated annotated, Class<?> deserClass) {
      return deserClass == OwnManagedFields.class ? new OwnManagedFields(fieldManager) : null;
    }

    @Override
    public KeyDeserializer keyDeserializerInstance(
        DeserializationConfig config, Annotated annotated, Class<?> keyDeserClass) {
      return null;
    }

    @Override
    public JsonSerializer<?> serializerInstance(
        SerializationConfig config, Annotated annotated, Class<?> serClass) {
      return null;
    }

    @Override
    public TypeResolverBuilder<?> typeResolverBuilderInstance(
        MapperConfig<?> config, Annotated annotated, Class<?> builderClass) {
      return null;
    }

    @Override
    public TypeIdResolver typeIdResolverInstance(
        MapperConfig<?> config, Annotated annotated, Class<?> resolverClass) {
      return null;
    }
  }
}
