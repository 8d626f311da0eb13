package dev.operators.django.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's peak memory and CPU time, from /proc, for the figures the tests log. */
final class ProcFs {
  private static final double CLOCK_TICKS = 100.0;

  private ProcFs() {}

  /** The real uid of this JVM (not the user name, which any environment can set). */
  static long realUid() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("Uid:"))
          .mapToLong(line -> Long.parseLong(line.trim().split("\\s+")[1]))
          .findFirst()
          .orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** VmHWM: the largest resident set the process has had. */
  static long peakRssMiB(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
          .filter(line -> line.startsWith("VmHWM:"))
          .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
          .findFirst()
          .orElse(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  /** User and system CPU time, in seconds (clock ticks of 1/100 s, as on Linux/x86). */
  static String cpuSeconds(long pid) {
    try {
      var stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return String.format(
          "%.1f", (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS);
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
