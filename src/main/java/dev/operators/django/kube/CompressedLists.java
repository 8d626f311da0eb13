package dev.operators.django.kube;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Asks the API server to gzip list responses, and inflates them as they stream in.
 *
 * <p>At start, and after a watch expires, every informer lists all its objects: with 1,000 apps
 * about 15 MB of JSON. Decrypting that much TLS in a JVM that has not compiled its crypto code yet
 * costs seconds of CPU on a small node; compressed it is about a seventh of the bytes, and {@link
 * Inflater} is native. The API server compresses only responses above 128 KiB and never watch
 * streams, and fabric8's JDK HTTP client does not decode gzip by itself, hence this interceptor. A
 * response without the gzip magic bytes passes through untouched.
 */
public final class CompressedLists implements Interceptor {
  public static final String NAME = "django-operator-gzip";

  public static void install(HttpClient.Builder builder) {
    builder.addOrReplaceInterceptor(NAME, new CompressedLists());
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (compressible(request)) {
      builder.setHeader("Accept-Encoding", "gzip");
    }
  }

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    var gunzip = consumer.unwrap(Gunzip.class);
    if (gunzip != null && response.body() instanceof AsyncBody body) {
      body.done().whenComplete((done, failure) -> gunzip.close());
    }
  }

  @Override
  public AsyncBody.Consumer<List<ByteBuffer>> consumer(
      AsyncBody.Consumer<List<ByteBuffer>> consumer, HttpRequest request) {
    return compressible(request) ? new Gunzip(consumer) : consumer;
  }

  /** A GET that is not a watch: the only requests whose responses can be large. */
  static boolean compressible(HttpRequest request) {
    var query = request.uri().getRawQuery();
    return "GET".equals(request.method()) && (query == null || !query.contains("watch=true"));
  }

  /**
   * Streams a gzip body (RFC 1952) through an {@link Inflater}: header, deflate data, then the
   * trailer, whose CRC-32 and length are checked. Bodies that do not start with the magic bytes are
   * handed on as they are.
   */
  static final class Gunzip implements AsyncBody.Consumer<List<ByteBuffer>> {
    private enum State {
      DETECT,
      HEADER,
      DATA,
      TRAILER,
      PLAIN
    }

    private static final int CHUNK = 64 * 1024;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final AsyncBody.Consumer<List<ByteBuffer>> downstream;
    private final CRC32 crc = new CRC32();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private Inflater inflater;
    private State state = State.DETECT;
    private long inflated;
    private int members;

    Gunzip(AsyncBody.Consumer<List<ByteBuffer>> downstream) {
      this.downstream = downstream;
    }

    @Override
    public void consume(List<ByteBuffer> buffers, AsyncBody body) throws Exception {
      if (state == State.PLAIN) {
        downstream.consume(buffers, body);
        return;
      }
      var out = new ArrayList<ByteBuffer>();
      for (var buffer : buffers) {
        feed(buffer, out);
      }
      if (state == State.PLAIN) { // out is empty: nothing was inflated before
        out.add(ByteBuffer.wrap(pending.toByteArray()));
        pending.reset();
        out.addAll(buffers.stream().filter(ByteBuffer::hasRemaining).toList());
      }
      if (out.isEmpty()) {
        body.consume(); // nothing to hand on yet: ask for more on the consumer's behalf
      } else {
        downstream.consume(out, body);
      }
    }

    private void feed(ByteBuffer buffer, List<ByteBuffer> out) throws IOException {
      while (buffer.hasRemaining() && state != State.PLAIN) {
        switch (state) {
          case DETECT, HEADER, TRAILER -> collect(buffer);
          case DATA -> inflate(buffer, out);
          default -> throw new IllegalStateException(state.name());
        }
      }
    }

    /** Gathers the bytes of a header or trailer, which may arrive split across buffers. */
    private void collect(ByteBuffer buffer) throws IOException {
      pending.write(buffer.get());
      var bytes = pending.toByteArray();
      switch (state) {
        case DETECT -> {
          // Decided on the first byte that is not gzip's, so that a one-byte body is handed on.
          boolean gzip =
              (bytes[0] & 0xff) == 0x1f && (bytes.length == 1 || (bytes[1] & 0xff) == 0x8b);
          if (!gzip && members > 0) {
            throw new IOException("corrupt gzip response from the API server");
          }
          if (!gzip) {
            state = State.PLAIN; // consume() hands the pending bytes and the rest on unchanged
          } else if (bytes.length == 2) {
            state = State.HEADER;
          }
        }
        case HEADER -> {
          if (headerLength(bytes) == bytes.length) {
            pending.reset();
            inflater = new Inflater(true);
            state = State.DATA;
          }
        }
        case TRAILER -> {
          if (bytes.length == 8) {
            var trailer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if ((trailer.getInt() & 0xffffffffL) != crc.getValue()
                || (trailer.getInt() & 0xffffffffL) != (inflated & 0xffffffffL)) {
              throw new IOException("corrupt gzip response from the API server");
            }
            pending.reset();
            crc.reset();
            inflated = 0;
            members++;
            state = State.DETECT; // a further gzip member may follow
          }
        }
        default -> throw new IllegalStateException(state.name());
      }
    }

    private void inflate(ByteBuffer buffer, List<ByteBuffer> out) throws IOException {
      inflater.setInput(buffer);
      try {
        while (true) {
          var chunk = new byte[CHUNK];
          int n = inflater.inflate(chunk);
          if (n > 0) {
            crc.update(chunk, 0, n);
            inflated += n;
            out.add(ByteBuffer.wrap(chunk, 0, n));
          }
          if (inflater.finished()) {
            close(); // frees the native memory now rather than at a later GC
            state = State.TRAILER;
            return; // the buffer's position is past the deflate data
          }
          if (n < CHUNK && (inflater.needsInput() || inflater.needsDictionary())) {
            return;
          }
        }
      } catch (DataFormatException e) {
        close();
        throw new IOException("corrupt gzip response from the API server", e);
      }
    }

    /** The header's length once all of it is there (RFC 1952, 2.3), or -1. */
    static int headerLength(byte[] b) throws IOException {
      if (b.length < 10) {
        return -1;
      }
      if (b[2] != 8) {
        throw new IOException("gzip response with unknown compression method " + b[2]);
      }
      int flags = b[3];
      int at = 10;
      if ((flags & FEXTRA) != 0) {
        if (b.length < at + 2) {
          return -1;
        }
        at += 2 + ((b[at] & 0xff) | (b[at + 1] & 0xff) << 8);
      }
      for (int field : new int[] {FNAME, FCOMMENT}) {
        if ((flags & field) != 0) {
          while (at < b.length && b[at] != 0) {
            at++;
          }
          if (at >= b.length) {
            return -1;
          }
          at++;
        }
      }
      if ((flags & FHCRC) != 0) {
        at += 2;
      }
      return at <= b.length ? at : -1;
    }

    /** Ends the inflater of a body that stopped in the middle (an error, a cancel). */
    void close() {
      if (inflater != null) {
        inflater.end();
      }
    }

    @Override
    public <U> U unwrap(Class<U> target) {
      var self = AsyncBody.Consumer.super.unwrap(target);
      return self != null ? self : downstream.unwrap(target);
    }
  }
}
