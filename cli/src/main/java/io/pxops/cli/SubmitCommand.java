package io.pxops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.pipeline.claim.OpsRequestClaim;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "submit", description = {"Submit an UpdateVersion request, from flags or from a KubeDB "
    + "PerconaXtraDBOpsRequest YAML file, through the HTTP API (default), straight to the pxops.requests topic, or "
    + "as an object in Kubernetes.",
    "Examples:",
    "  pxops submit -n demo --database demo-px --target-version 10.11.19 --watch",
    "  pxops submit -f update.yaml --via kafka"})
final class SubmitCommand implements Callable<Integer> {

  /** How the request travels. */
  enum Via {
    http, kafka, kubernetes
  }

  @Spec
  CommandSpec spec;

  @Mixin
  Endpoints endpoints;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A PerconaXtraDBOpsRequest in KubeDB's YAML.")
  Path file;

  @Option(names = {"-n", "--namespace"}, description = "The database's namespace (default: the file's, else demo).")
  String namespace;

  @Option(names = "--name", description = "The request's name (default: the file's, else generated).")
  String name;

  @Option(names = {"-d", "--database"}, description = "The PerconaXtraDB to update.")
  String database;

  @Option(names = {"-t", "--target-version"}, description = "The catalog entry (PerconaXtraDBVersion) to go to.")
  String targetVersion;

  @Option(names = "--timeout", description = "Per-step timeout, a Kubernetes duration such as 5m.")
  String timeout;

  @Option(names = "--apply", description = "IfReady (default) or Always.")
  String apply;

  @Option(names = "--max-retries", description = "Retries of a retriable step failure.")
  Integer maxRetries;

  @Option(names = "--client-request-id", description = "Submitting the same id twice creates one request.")
  String clientRequestId;

  @Option(names = "--via", defaultValue = "http", description = "http, kafka or kubernetes (default: ${DEFAULT-VALUE}).")
  Via via;

  @Option(names = {"-w", "--watch"}, description = "Then follow it until it ends (exit code as for watch).")
  boolean watch;

  @Option(names = "--watch-timeout", defaultValue = "1h", description = "With --watch (default: ${DEFAULT-VALUE}).")
  Duration watchTimeout;

  @Override
  public Integer call() throws Exception {
    if (file != null) {
      fromFile();
    }
    if (namespace == null) {
      namespace = "demo";
    }
    if (database == null || targetVersion == null) {
      throw new ParameterException(spec.commandLine(),
          "--database and --target-version are required (or -f FILE with spec.databaseRef.name and "
              + "spec.updateVersion.targetVersion)");
    }
    if (name == null && via != Via.http) {
      name = database + "-update-" + UUID.randomUUID().toString().substring(0, 8);
    }
    RequestRef ref = switch (via) {
      case http -> viaHttp();
      case kafka -> viaKafka();
      case kubernetes -> viaKubernetes();
    };
    spec.commandLine().getOut().printf("submitted %s (database %s/%s -> %s) via %s%n", ref.key(), namespace, database,
        targetVersion, via);
    spec.commandLine().getOut().flush();
    return watch ? WatchCommand.follow(endpoints, ref, watchTimeout, spec.commandLine().getOut()) : ExitCodes.OK;
  }

  private void fromFile() throws IOException {
    PerconaXtraDBOpsRequest o;
    try {
      o = Serialization.unmarshal(Files.readString(file), PerconaXtraDBOpsRequest.class);
    } catch (RuntimeException e) {
      throw new ParameterException(spec.commandLine(), file + " is not a PerconaXtraDBOpsRequest: " + e.getMessage());
    }
    if (o == null || o.getSpec() == null) {
      throw new ParameterException(spec.commandLine(), file + ": spec is required");
    }
    if (!"UpdateVersion".equals(o.getSpec().getType())) {
      throw new ParameterException(spec.commandLine(), file + ": spec.type must be UpdateVersion, was "
          + o.getSpec().getType());
    }
    if (o.getMetadata() != null) {
      name = name != null ? name : o.getMetadata().getName();
      namespace = namespace != null ? namespace : o.getMetadata().getNamespace();
    }
    database = database != null ? database
        : o.getSpec().getDatabaseRef() == null ? null : o.getSpec().getDatabaseRef().getName();
    targetVersion = targetVersion != null ? targetVersion
        : o.getSpec().getUpdateVersion() == null ? null : o.getSpec().getUpdateVersion().getTargetVersion();
    timeout = timeout != null ? timeout : o.getSpec().getTimeout();
    apply = apply != null ? apply : o.getSpec().getApply();
    maxRetries = maxRetries != null ? maxRetries : o.getSpec().getMaxRetries();
  }

  private ObjectNode body() {
    ObjectNode body = JsonCodec.shared().mapper().createObjectNode();
    putIf(body, "name", name);
    body.put("database", database).put("targetVersion", targetVersion);
    putIf(body, "timeout", timeout);
    putIf(body, "apply", apply);
    if (maxRetries != null) {
      body.put("maxRetries", maxRetries);
    }
    putIf(body, "clientRequestId", clientRequestId);
    return body;
  }

  private RequestRef viaHttp() {
    JsonNode answer = new PxopsHttp(endpoints).submit(namespace, body());
    return new RequestRef(answer.path("namespace").asText(namespace), answer.path("name").asText(name));
  }

  /** The request as the Kafka door reads it: the update-request schema, keyed by the database. */
  private RequestRef viaKafka() throws InterruptedException {
    if (apply != null) {
      throw new ParameterException(spec.commandLine(), "--apply is not part of the pxops.requests schema (see "
          + "docs/examples/update-request.json); submit with --via http or --via kubernetes");
    }
    ObjectNode body = body().put("namespace", namespace);
    Map<String, Object> config = endpoints.kafka().map(Map.of(
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
        new StringSerializer())) {
      producer.send(new ProducerRecord<>(Topics.REQUESTS, namespace + "/" + database, body.toString()))
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw new CliFailure(ExitCodes.UNAVAILABLE, "cannot write to " + Topics.REQUESTS + " at "
          + endpoints.bootstrapServers() + ": " + e.getMessage());
    }
    return new RequestRef(namespace, name);
  }

  private RequestRef viaKubernetes() {
    // labelled for pxops: a request submitted with pxops' own command is pxops' whatever the claim mode
    String yaml = "apiVersion: ops.kubedb.com/v1alpha1\nkind: PerconaXtraDBOpsRequest\nmetadata:\n  name: " + name
        + "\n  namespace: " + namespace + "\n  labels:\n    " + OpsRequestClaim.KEY + ": " + OpsRequestClaim.VALUE
        + "\nspec:\n  type: UpdateVersion\n  databaseRef:\n    name: " + database
        + "\n  updateVersion:\n    targetVersion: \"" + targetVersion + "\"\n"
        + (timeout == null ? "" : "  timeout: " + timeout + "\n") + (apply == null ? "" : "  apply: " + apply + "\n")
        + (maxRetries == null ? "" : "  maxRetries: " + maxRetries + "\n");
    Config config = endpoints.kubeconfig() == null ? Config.autoConfigure(null)
        : Config.fromKubeconfig(null, readKubeconfig(endpoints.kubeconfig()), endpoints.kubeconfig());
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      client.resources(PerconaXtraDBOpsRequest.class).resource(
          Serialization.unmarshal(yaml, PerconaXtraDBOpsRequest.class)).create();
    } catch (KubernetesClientException e) {
      throw new CliFailure(e.getCode() >= 400 && e.getCode() < 500 ? ExitCodes.REFUSED : ExitCodes.UNAVAILABLE,
          "Kubernetes refused the request: " + e.getMessage());
    }
    return new RequestRef(namespace, name);
  }

  private static String readKubeconfig(String path) {
    try {
      return Files.readString(Path.of(path));
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, "cannot read kubeconfig " + path + ": " + e.getMessage());
    }
  }

  private static void putIf(ObjectNode body, String field, String value) {
    if (value != null) {
      body.put(field, value);
    }
  }
}
