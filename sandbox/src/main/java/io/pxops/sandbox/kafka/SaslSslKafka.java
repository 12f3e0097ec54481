package io.pxops.sandbox.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EmbeddedKafka} that also listens with {@code SASL_SSL} (SASL/PLAIN over TLS), as a secured production
 * cluster does, to show that pxops' clients reach such a broker with the shared Kafka settings. The TLS certificate
 * is made at start by the JDK's {@code keytool} (a self-signed certificate for {@code 127.0.0.1} and
 * {@code localhost}, so host-name verification stays on) and trusted through a PKCS12 truststore written here;
 * nothing is read from outside. The plain-text listener stays for the broker's own use and for test set-up.
 */
public final class SaslSslKafka implements AutoCloseable {

  private static final String HOST = "127.0.0.1";

  private final EmbeddedKafka broker;
  private final int saslSslPort;
  private final Path truststore;
  private final String truststorePassword;
  private final Path dir;

  private SaslSslKafka(EmbeddedKafka broker, int saslSslPort, Path truststore, String truststorePassword,
      Path dir) {
    this.broker = broker;
    this.saslSslPort = saslSslPort;
    this.truststore = truststore;
    this.truststorePassword = truststorePassword;
    this.dir = dir;
  }

  /**
   * Starts the broker with SASL/PLAIN users {@code users} (name → password) on its {@code SASL_SSL} listener.
   */
  public static SaslSslKafka start(Map<String, String> users) {
    return start(users, false);
  }

  /**
   * As {@link #start(Map)}; with {@code authorize}, the broker also enforces ACLs (KRaft's
   * {@code StandardAuthorizer}) for the SASL users, as a secured production cluster does. The plain-text listener's
   * principal ({@code User:ANONYMOUS}: the controller, the broker itself and test set-up) is a super user.
   */
  public static SaslSslKafka start(Map<String, String> users, boolean authorize) {
    try {
      Path dir = Files.createTempDirectory("pxops-kafka-tls-");
      String storePassword = "store-" + Long.toHexString(System.nanoTime());
      Path keystore = dir.resolve("broker.p12");
      keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
          "-dname", "CN=localhost", "-ext", "SAN=ip:" + HOST + ",dns:localhost", "-keystore", keystore.toString(),
          "-storetype", "PKCS12", "-storepass", storePassword, "-keypass", storePassword, "-noprompt");
      Path truststore = dir.resolve("truststore.p12");
      writeTruststore(keystore, truststore, storePassword);

      int[] ports = freePorts(3);
      StringBuilder jaas = new StringBuilder(
          "org.apache.kafka.common.security.plain.PlainLoginModule required");
      users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password)
          .append('"'));
      jaas.append(';');
      String listeners = "PLAINTEXT://" + HOST + ":" + ports[0] + ",CONTROLLER://" + HOST + ":" + ports[1]
          + ",SASL_SSL://" + HOST + ":" + ports[2];
      EmbeddedKafka.Builder builder = EmbeddedKafka.builder().port(ports[0]).controllerPort(ports[1]);
      if (authorize) {
        builder.config("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
            .config("super.users", "User:ANONYMOUS");
      }
      EmbeddedKafka broker = builder
          .config("listeners", listeners)
          .config("advertised.listeners", listeners)
          .config("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL")
          .config("sasl.enabled.mechanisms", "PLAIN")
          .config("listener.name.sasl_ssl.plain.sasl.jaas.config", jaas.toString())
          .config("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12")
          .config("listener.name.sasl_ssl.ssl.keystore.location", keystore.toString())
          .config("listener.name.sasl_ssl.ssl.keystore.password", storePassword)
          .config("listener.name.sasl_ssl.ssl.key.password", storePassword)
          .start();
      return new SaslSslKafka(broker, ports[2], truststore, storePassword, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the TLS material of the broker", e);
    }
  }

  /** The {@code SASL_SSL} listener. */
  public String saslSslBootstrapServers() {
    return HOST + ":" + saslSslPort;
  }

  /** The plain-text listener, for set-up (topics) only. */
  public EmbeddedKafka broker() {
    return broker;
  }

  /** A PKCS12 truststore holding the broker's certificate. */
  public Path truststore() {
    return truststore;
  }

  public String truststorePassword() {
    return truststorePassword;
  }

  /** The client's {@code sasl.jaas.config} for one user. */
  public static String clientJaas(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
        + "\" password=\"" + password + "\";";
  }

  /** The Kafka client settings of a user on the {@code SASL_SSL} listener, by Kafka's names. */
  public Map<String, String> clientSettings(String user, String password) {
    Map<String, String> m = new HashMap<>();
    m.put("security.protocol", "SASL_SSL");
    m.put("sasl.mechanism", "PLAIN");
    m.put("sasl.jaas.config", clientJaas(user, password));
    m.put("ssl.truststore.type", "PKCS12");
    m.put("ssl.truststore.location", truststore.toString());
    m.put("ssl.truststore.password", truststorePassword);
    return m;
  }

  @Override
  public void close() {
    try {
      broker.close();
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temporary directory left behind is harmless
      }
    }
  }

  private static void keytool(String... args) throws IOException {
    String[] command = new String[args.length + 1];
    command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    System.arraycopy(args, 0, command, 1, args.length);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("keytool did not finish within 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed (exit " + p.exitValue() + "): " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }

  /** The broker's certificate as the only trusted entry of a new PKCS12 truststore. */
  private static void writeTruststore(Path keystore, Path truststore, String password) throws IOException {
    try (InputStream in = Files.newInputStream(keystore); OutputStream out = Files.newOutputStream(truststore)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, password.toCharArray());
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("broker", keys.getCertificate("broker"));
      trust.store(out, password.toCharArray());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot write the truststore", e);
    }
  }

  private static int[] freePorts(int n) throws IOException {
    ServerSocket[] sockets = new ServerSocket[n];
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
  }
}
