package dev.operators.django.client;

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
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/**
 * The JSON mapping of the operator's client: fabric8's, with two changes that a profile of the
 * operator under load asked for (every object it watches, applies or compares passes through it).
 *
 * <ul>
 *   <li>Getters (when writing) and constructors (when reading) are called through lambdas
 *       (Jackson's Blackbird module) instead of reflection. Since JDK 18 reflection runs on method
 *       handles that the JIT cannot inline from Jackson's property tables; with 1,000 apps
 *       converging, reflective calls were a quarter of the operator's CPU samples. Setters stay
 *       reflective: fabric8's UnmatchedFieldTypeModule wraps each of them before any module's
 *       builder hook runs, and Blackbird replaces only unwrapped ones.
 *   <li>Managed fields are read for the operator's own field manager only ({@link
 *       OwnManagedFields}).
 * </ul>
 */
public final class OperatorSerialization {
  private OperatorSerialization() {}

  public static KubernetesSerialization create(String fieldManager) {
    return create(fieldManager, new ObjectMapper());
  }

  static KubernetesSerialization create(String fieldManager, ObjectMapper mapper) {
    mapper.registerModule(new BlackbirdModule());
    mapper.addMixIn(ObjectMeta.class, ObjectMetaMixin.class);
    mapper.setHandlerInstantiator(new OwnManagedFieldsInstantiator(fieldManager));
    return new KubernetesSerialization(mapper, true);
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
    public JsonDeserializer<?> deserializerInstance(DeserializationConfig config,
        Annotated annotated, Class<?> deserClass) {
      return deserClass == OwnManagedFields.class ? new OwnManagedFields(fieldManager) : null;
    }

    @Override
    public KeyDeserializer keyDeserializerInstance(DeserializationConfig config,
        Annotated annotated, Class<?> keyDeserClass) {
      return null;
    }

    @Override
    public JsonSerializer<?> serializerInstance(SerializationConfig config, Annotated annotated,
        Class<?> serClass) {
      return null;
    }

    @Override
    public TypeResolverBuilder<?> typeResolverBuilderInstance(MapperConfig<?> config,
        Annotated annotated, Class<?> builderClass) {
      return null;
    }

    @Override
    public TypeIdResolver typeIdResolverInstance(MapperConfig<?> config, Annotated annotated,
        Class<?> resolverClass) {
      return null;
    }
  }
}
