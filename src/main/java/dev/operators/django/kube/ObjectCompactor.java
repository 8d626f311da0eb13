package dev.operators.django.kube;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shrinks an object of the Kubernetes model, in place, before it enters an informer cache.
 *
 * <p>The fabric8 model allocates every map and list field eagerly, and every object also carries a
 * map for unknown properties, so a cached Deployment holds a few hundred empty collections (and
 * managed fields hold one empty map per leaf). At 1,000 apps these were the largest item on the
 * heap. Each empty map or list is replaced by the shared immutable empty one. Reads behave the
 * same; a write into a cached object, which would corrupt the cache anyway, now fails loudly.
 *
 * <p>Only the Kubernetes model is walked (not custom resources: their metadata, spec and status
 * live in fabric8's client package); the fields of each class are found once.
 */
public final class ObjectCompactor {
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  private static final ClassValue<List<Field>> FIELDS =
      new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
          var fields = new ArrayList<Field>();
          for (Class<?> c = type; c != null && isModel(c); c = c.getSuperclass()) {
            for (var field : c.getDeclaredFields()) {
              int modifiers = field.getModifiers();
              if (Modifier.isStatic(modifiers)
                  || Modifier.isFinal(modifiers)
                  || field.getType().isPrimitive()
                  || field.getType() == String.class) {
                continue;
              }
              field.setAccessible(true);
              fields.add(field);
            }
          }
          return List.copyOf(fields);
        }
      };

  private ObjectCompactor() {}

  /** Compacts {@code object} and everything reachable from it in the model; returns it. */
  public static <T> T compact(T object) {
    compactValue(object, Collections.newSetFromMap(new IdentityHashMap<>()));
    return object;
  }

  private static Object compactValue(Object value, Set<Object> seen) {
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean
        || !seen.add(value)) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        return Map.of();
      }
      compactEntries(map, seen);
      return map;
    }
    if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        return List.of();
      }
      compactElements(list, seen);
      return list;
    }
    if (isModel(value.getClass())) {
      compactFields(value, seen);
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static void compactEntries(Map<?, ?> map, Set<Object> seen) {
    try {
      ((Map<Object, Object>) map).replaceAll((k, v) -> compactValue(v, seen));
    } catch (UnsupportedOperationException immutable) {
      map.values().forEach(v -> compactValue(v, seen));
    }
  }

  @SuppressWarnings("unchecked")
  private static void compactElements(List<?> list, Set<Object> seen) {
    try {
      ((List<Object>) list).replaceAll(v -> compactValue(v, seen));
    } catch (UnsupportedOperationException immutable) {
      list.forEach(v -> compactValue(v, seen));
    }
  }

  private static void compactFields(Object object, Set<Object> seen) {
    for (var field : FIELDS.get(object.getClass())) {
      try {
        var value = field.get(object);
        var compacted = compactValue(value, seen);
        if (compacted != value && field.getType().isInstance(compacted)) {
          field.set(object, compacted);
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot compact " + field, e);
      }
    }
  }

  private static boolean isModel(Class<?> type) {
    return type.getName().startsWith(MODEL_PACKAGE);
  }
}
