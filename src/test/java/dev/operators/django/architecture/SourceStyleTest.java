package dev.operators.django.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What google-java-format (checked by Spotless in the build) leaves alone: a class named by its
 * package inline, in code, instead of imported. Comments and string literals may name packages.
 */
class SourceStyleTest {
  private static final Pattern INLINE =
      Pattern.compile("(?<![\\w.\"])(?:java|javax|io|org|com|dev)(?:\\.[a-z][a-z0-9_]*)+\\.[A-Z]");

  @Test
  void noFullyQualifiedNamesInCode() throws IOException {
    var found = new ArrayList<String>();
    for (var root : List.of(Path.of("src/main/java"), Path.of("src/test/java"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (var file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          var lines = Files.readAllLines(file);
          boolean comment = false;
          for (int i = 0; i < lines.size(); i++) {
            var line = lines.get(i).strip();
            if (comment || line.startsWith("/*") || line.startsWith("*")) {
              comment = (comment || line.startsWith("/*")) && !line.contains("*/");
              continue;
            }
            if (line.startsWith("import ") || line.startsWith("package ")) {
              continue;
            }
            var code = withoutStringsAndComments(line);
            if (INLINE.matcher(code).find()) {
              found.add(file + ":" + (i + 1) + ": " + line);
            }
          }
        }
      }
    }
    assertThat(found).as("import these").isEmpty();
  }

  @Test
  void theCheckSeesAnInlineName() {
    assertThat(INLINE.matcher(withoutStringsAndComments("var x = java.util.List.of();")).find())
        .isTrue();
    assertThat(INLINE.matcher(withoutStringsAndComments("var x = \"java.util.List\";")).find())
        .isFalse();
    assertThat(INLINE.matcher(withoutStringsAndComments("x(); // java.util.List")).find())
        .isFalse();
  }

  private static String withoutStringsAndComments(String line) {
    var out = new StringBuilder();
    boolean string = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (string) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          string = false;
        }
      } else if (c == '"') {
        string = true;
        out.append(' ');
      } else if (line.startsWith("//", i)) {
        break;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
