package io.pxops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The command a user installs is small: the cli module's runtime class path (written at package time,
 * {@code target/classpath.txt}) and its jar's manifest class path hold no Kafka broker, no mock API server, no
 * local world and no service. An integration test because both are made at package time, after the unit tests.
 */
class CliRuntimeDependenciesIT {

  /** What belongs to the local world or to the services, never to the command line. */
  private static final List<String> FORBIDDEN = List.of("kafka_2.13", "kafka-server", "kafka-raft",
      "kafka-metadata", "kafka-storage", "kafka-group-coordinator", "kubernetes-server-mock", "mockwebserver",
      "sandbox", "request-ingest", "step-runners", "verifier", "status-projector", "kafka-streams");

  @Test
  void theRuntimeClassPathHasNoBrokerNoMockServerNoLocalWorld() throws Exception {
    List<String> jars = Arrays.stream(Files.readString(Path.of("target", "classpath.txt")).trim()
        .split(File.pathSeparator)).map(p -> Path.of(p).getFileName().toString()).toList();
    assertThat(jars).as("the CLI needs its Kafka client and picocli").anyMatch(j -> j.startsWith("kafka-clients"))
        .anyMatch(j -> j.startsWith("picocli"));
    for (String forbidden : FORBIDDEN) {
      assertThat(jars).as(forbidden).noneMatch(j -> j.startsWith(forbidden + "-") || j.startsWith(forbidden + "_"));
    }
  }

  @Test
  void theRunnableJarsManifestNamesTheSameSmallClassPath() throws Exception {
    Path jar;
    try (var files = Files.list(Path.of("target"))) {
      jar = files.filter(p -> p.getFileName().toString().matches("cli-.*\\.jar")
          && !p.getFileName().toString().contains("sources")).findFirst().orElseThrow();
    }
    try (JarFile j = new JarFile(jar.toFile())) {
      String main = j.getManifest().getMainAttributes().getValue("Main-Class");
      String classPath = j.getManifest().getMainAttributes().getValue("Class-Path");
      assertThat(main).isEqualTo(PxopsMain.class.getName());
      for (String forbidden : FORBIDDEN) {
        assertThat(classPath).as(forbidden).doesNotContain("lib/" + forbidden + "-")
            .doesNotContain("lib/" + forbidden + "_");
      }
    }
  }
}
