package io.pxops.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The contract module depends on the JDK and Jackson only: no Kafka, fabric8 or JDBC. */
class LayeringTest {

  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

  private static final List<String> ALLOWED =
      List.of("java.time.", "java.util.", "java.io.", "com.fasterxml.jackson.", "io.pxops.events.");

  @Test
  void givenTheMainSources_whenTheirImportsAreRead_thenOnlyTheJdkAndJacksonAreUsed()
      throws IOException {
    List<String> imports;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      imports =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .flatMap(LayeringTest::imports)
              .collect(Collectors.toList());
    }
    List<String> offending =
        imports.stream()
            .filter(i -> ALLOWED.stream().noneMatch(i::startsWith))
            .collect(Collectors.toList());

    assertThat(imports).anyMatch(i -> i.startsWith("com.fasterxml.jackson.databind.ObjectMapper"));
    assertThat(offending).isEmpty();
  }

  private static Stream<String> imports(Path file) {
    try {
      Matcher m = IMPORT.matcher(Files.readString(file));
      Stream.Builder<String> found = Stream.builder();
      while (m.find()) {
        found.add(m.group(1) + " (" + file.getFileName() + ")");
      }
      return found.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
