package dev.operators.django.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fenced code blocks of one README section, in order, so that a test runs what the README says
 * and fails when the two diverge.
 *
 * @param blocks each block's language (yaml, sh) and its text
 */
public record ReadmeSection(List<Block> blocks) {
  public record Block(String language, String text) {}

  /** The section under {@code heading} (a whole heading line), up to the next heading. */
  public static ReadmeSection of(Path readme, String heading) {
    List<String> lines;
    try {
      lines = Files.readAllLines(readme);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var start = lines.indexOf(heading);
    if (start < 0) {
      throw new IllegalStateException(readme + " has no heading " + heading);
    }
    var blocks = new ArrayList<Block>();
    String language = null;
    var text = new StringBuilder();
    for (var line : lines.subList(start + 1, lines.size())) {
      if (language == null && line.startsWith("#")) {
        break;
      }
      if (line.startsWith("```")) {
        if (language == null) {
          language = line.substring(3).trim();
          text.setLength(0);
        } else {
          blocks.add(new Block(language, text.toString()));
          language = null;
        }
      } else if (language != null) {
        text.append(line).append('\n');
      }
    }
    return new ReadmeSection(blocks);
  }

  public List<Block> blocks(String language) {
    return blocks.stream().filter(b -> b.language().equals(language)).toList();
  }

  /** The commands of an sh block: its lines without comments and blank lines. */
  public static List<String> commands(Block block) {
    return block
        .text()
        .lines()
        .map(l -> l.replaceAll("\\s+#.*$", "").trim())
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }
}
