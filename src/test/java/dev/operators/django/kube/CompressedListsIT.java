package dev.operators.django.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.DjangoOperator;
import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.TestNamespace;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The API server gzips a large list when asked, and the client reads it whole. */
@WithCluster
class CompressedListsIT {

  /** Sits outside CompressedLists, so it sees the bytes as they come off the connection. */
  private static final class Wire implements Interceptor {
    final AtomicLong bytes = new AtomicLong();
    volatile int firstByte = -1;

    @Override
    public AsyncBody.Consumer<List<ByteBuffer>> consumer(
        AsyncBody.Consumer<List<ByteBuffer>> consumer, HttpRequest request) {
      return (buffers, body) -> {
        for (var buffer : buffers) {
          if (firstByte < 0 && buffer.hasRemaining()) {
            firstByte = buffer.get(buffer.position()) & 0xff;
          }
          bytes.addAndGet(buffer.remaining());
        }
        consumer.consume(buffers, body);
      };
    }
  }

  @Test
  void aLargeListArrivesCompressedAndIsReadWhole(
      Cluster cluster, KubernetesClient admin, TestNamespace ns) {
    // 60 ConfigMaps of 4 KiB each: a list of about 260 KB, above the API server's 128 KiB
    // threshold for compressing.
    for (int i = 0; i < 60; i++) {
      admin
          .configMaps()
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("config-" + i)
                  .endMetadata()
                  .withData(Map.of("settings", ("setting-" + i + "=value\n").repeat(256)))
                  .build())
          .create();
    }
    var wire = new Wire();
    try (var client =
        DjangoOperator.clientBuilder(http -> http.addOrReplaceInterceptor("wire", wire))
            .withConfig(cluster.config(ns.name()))
            .build()) {
      var listed = client.configMaps().list().getItems();
      var json = client.getKubernetesSerialization().asJson(listed);

      assertThat(listed)
          .filteredOn(c -> c.getMetadata().getName().startsWith("config-"))
          .hasSize(60);
      assertThat(listed)
          .filteredOn(c -> c.getMetadata().getName().equals("config-42"))
          .extracting(ConfigMap::getData)
          .containsExactly(Map.of("settings", "setting-42=value\n".repeat(256)));
      assertThat(wire.firstByte).as("gzip magic").isEqualTo(0x1f);
      assertThat(wire.bytes.get()).isLessThan(json.length() / 10);
    }
  }
}
