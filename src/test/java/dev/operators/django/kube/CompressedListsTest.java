package dev.operators.django.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompressedListsTest {
  private static final byte[] JSON =
      ("{\"kind\":\"ConfigMapList\",\"items\":["
              + String.join(
                  ",",
                  IntStream.range(0, 2000)
                      .mapToObj(i -> "{\"metadata\":{\"name\":\"config-" + i + "\"}}")
                      .toList())
              + "]}")
          .getBytes(StandardCharsets.UTF_8);

  /** Collects what the gzip consumer hands on, and counts the requests for more data. */
  private static final class Sink implements AsyncBody.Consumer<List<ByteBuffer>>, AsyncBody {
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    int demands;

    @Override
    public void consume(List<ByteBuffer> buffers, AsyncBody body) {
      for (var buffer : buffers) {
        var bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        received.writeBytes(bytes);
      }
      body.consume();
    }

    @Override
    public void consume() {
      demands++;
    }

    @Override
    public CompletableFuture<Void> done() {
      return new CompletableFuture<>();
    }

    @Override
    public void cancel() {}
  }

  private static byte[] gzip(byte[] data) throws IOException {
    var out = new ByteArrayOutputStream();
    try (var gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    }
    return out.toByteArray();
  }

  /** Feeds the body in chunks of the given size, several buffers per call as the client does. */
  private static Sink feed(byte[] body, int chunk) throws Exception {
    var sink = new Sink();
    var gunzip = new CompressedLists.Gunzip(sink);
    for (int at = 0; at < body.length; at += 3 * chunk) {
      var buffers = new ArrayList<ByteBuffer>();
      for (int i = at; i < Math.min(body.length, at + 3 * chunk); i += chunk) {
        buffers.add(ByteBuffer.wrap(body, i, Math.min(chunk, body.length - i)).slice());
      }
      int demandsBefore = sink.demands;
      gunzip.consume(buffers, sink);
      assertThat(sink.demands)
          .as("more data is asked for after every call")
          .isEqualTo(demandsBefore + 1);
    }
    return sink;
  }

  @ParameterizedTest(name = "chunks of {0} bytes")
  @ValueSource(ints = {1, 2, 7, 10, 11, 512, 65536, 1 << 20})
  void inflatesAGzipBodyHoweverItIsSplit(int chunk) throws Exception {
    var compressed = gzip(JSON);
    assertThat(compressed.length).isLessThan(JSON.length / 5);

    assertThat(feed(compressed, chunk).received.toByteArray()).isEqualTo(JSON);
  }

  @ParameterizedTest(name = "chunks of {0} bytes")
  @ValueSource(ints = {1, 5, 4096})
  void handsAPlainBodyOnUnchanged(int chunk) throws Exception {
    assertThat(feed(JSON, chunk).received.toByteArray()).isEqualTo(JSON);
  }

  @Test
  void handsAOneByteBodyOn() throws Exception {
    assertThat(feed(new byte[] {'1'}, 1).received.toByteArray()).containsExactly('1');
  }

  @Test
  void watchesAreNotWrapped() {
    var watch =
        new StandardHttpRequest.Builder()
            .uri(URI.create("https://127.0.0.1:6443/api/v1/configmaps?watch=true"))
            .build();
    AsyncBody.Consumer<List<ByteBuffer>> consumer = (buffers, body) -> {};

    assertThat(new CompressedLists().consumer(consumer, watch)).isSameAs(consumer);
  }

  @Test
  void readsConcatenatedMembersAndOptionalHeaderFields() throws Exception {
    var named = gzip("{\"a\":".getBytes(StandardCharsets.UTF_8));
    named[3] = 8 | 16; // FNAME and FCOMMENT, each a zero-terminated string after the header
    var withFields = new ByteArrayOutputStream();
    withFields.write(named, 0, 10);
    withFields.writeBytes("list.json\0a comment\0".getBytes(StandardCharsets.ISO_8859_1));
    withFields.write(named, 10, named.length - 10);
    withFields.writeBytes(gzip("1}".getBytes(StandardCharsets.UTF_8)));

    assertThat(feed(withFields.toByteArray(), 3).received.toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":1}");
  }

  @Test
  void skipsAnExtraFieldAndAHeaderCrc() throws Exception {
    var body = gzip("{}".getBytes(StandardCharsets.UTF_8));
    body[3] = 4 | 2; // FEXTRA (two-byte length, then the data) and FHCRC (two bytes at the end)
    var withFields = new ByteArrayOutputStream();
    withFields.write(body, 0, 10);
    withFields.writeBytes(new byte[] {3, 0, 'a', 'b', 'c', 0x12, 0x34});
    withFields.write(body, 10, body.length - 10);

    assertThat(feed(withFields.toByteArray(), 2).received.toString(StandardCharsets.UTF_8))
        .isEqualTo("{}");
  }

  @Test
  void aCorruptBodyFailsTheRequest() throws Exception {
    var compressed = gzip(JSON);
    compressed[compressed.length - 6] ^= 1; // the CRC-32 in the trailer

    assertThatThrownBy(() -> feed(compressed, 4096))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("corrupt gzip response");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "GET /api/v1/configmaps?limit=250 true",
        "GET /api/v1/namespaces/a/configmaps/b true",
        "GET /api/v1/configmaps?resourceVersion=1&watch=true false",
        "PATCH /apis/apps/v1/namespaces/a/deployments/b?fieldManager=x false"
      })
  void onlyReadsThatAreNotWatchesAskForCompression(String line) {
    var parts = line.split(" ");
    var builder =
        new StandardHttpRequest.Builder().uri(URI.create("https://127.0.0.1:6443" + parts[1]));
    var request =
        parts[0].equals("GET")
            ? builder.build()
            : builder.patch("application/apply-patch+yaml", "{}").build();

    new CompressedLists().before(builder, request, null);

    assertThat(builder.build().header("Accept-Encoding"))
        .isEqualTo(Boolean.parseBoolean(parts[2]) ? "gzip" : null);
  }
}
