package dev.operators.django.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every request a client sends, to count the operator's writes to the API server. */
public final class WriteCounter implements Interceptor {
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    requests.add(
        request.method()
            + " "
            + request.uri().getPath()
            + (request.uri().getQuery() != null ? "?" + request.uri().getQuery() : ""));
  }

  /** POST, PUT, PATCH and DELETE requests, as "METHOD /path". */
  public List<String> writes() {
    return requests.stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  public List<String> requests() {
    return List.copyOf(requests);
  }

  public void reset() {
    requests.clear();
  }
}
