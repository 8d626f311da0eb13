package dev.operators.django.kube;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code metadata.managedFields} keeping only the entries of one field manager, the
 * operator's; the others are skipped token by token, never built.
 *
 * <p>Managed fields are the largest part of most objects the operator watches: every field a
 * manager owns is a nested map, and the controllers that write status own many. The operator reads
 * only its own entry (server-side-apply matching compares what it owns); the pruned caches dropped
 * the rest after parsing anyway (see {@code PrunedItemStore}). Skipping them while the JSON streams
 * in saves building them, at start and for every watch event of every child.
 *
 * <p>A PUT that carries managed fields replaces the server's record of them, so the shortened list
 * must never be sent back in one: java-operator-sdk's PUT of ConfigMaps leaves it out (see {@code
 * ChildDependent#update}). The other writes send fresh objects (server-side apply, create,
 * fabric8's merge patch of the Lease), which carry no managed fields.
 */
public final class OwnManagedFields extends StdDeserializer<List<ManagedFieldsEntry>> {
  private final String fieldManager;

  public OwnManagedFields(String fieldManager) {
    super(List.class);
    this.fieldManager = fieldManager;
  }

  @Override
  public List<ManagedFieldsEntry> deserialize(JsonParser p, DeserializationContext ctxt)
      throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      return ctxt.reportInputMismatch(
          this, "managedFields: expected an array, got %s", p.currentToken());
    }
    var kept = new ArrayList<ManagedFieldsEntry>(1);
    for (var token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
      if (token != JsonToken.START_OBJECT) {
        return ctxt.reportInputMismatch(this, "managedFields: expected an object, got %s", token);
      }
      var entry = readEntry(p, ctxt);
      if (entry != null) {
        kept.add(entry);
      }
    }
    return kept;
  }

  /** One entry, from its START_OBJECT to its END_OBJECT; null if another manager's. */
  private ManagedFieldsEntry readEntry(JsonParser p, DeserializationContext ctxt)
      throws IOException {
    var entry = new ManagedFieldsEntry();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      var name = p.currentName();
      p.nextToken();
      switch (name) {
        case "manager" -> {
          if (!fieldManager.equals(p.getValueAsString())) {
            skipRest(p);
            return null;
          }
          entry.setManager(fieldManager);
        }
        case "operation" -> entry.setOperation(p.getValueAsString());
        case "apiVersion" -> entry.setApiVersion(p.getValueAsString());
        case "time" -> entry.setTime(p.getValueAsString());
        case "fieldsType" -> entry.setFieldsType(p.getValueAsString());
        case "subresource" -> entry.setSubresource(p.getValueAsString());
        case "fieldsV1" -> entry.setFieldsV1(ctxt.readValue(p, FieldsV1.class));
        default -> p.skipChildren();
      }
    }
    // An entry without a manager is nobody's: the operator's it is not.
    return fieldManager.equals(entry.getManager()) ? entry : null;
  }

  private static void skipRest(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      p.nextToken();
      p.skipChildren();
    }
  }
}
