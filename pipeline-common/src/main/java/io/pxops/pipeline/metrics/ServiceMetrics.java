package io.pxops.pipeline.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The process's one meter registry, in Prometheus' format, and what every service's {@code GET /metrics} answers.
 *
 * <p>One registry per process, not one per object: a service is one process, Prometheus scrapes the process, and
 * the meters are registered by classes far apart (the command loop in this module, the coordinator's processor, the
 * ingest's doors) that would otherwise all need a registry threaded through their constructors. The JVM binders
 * (memory, GC, threads, class loading, processor, uptime) are bound once, when the registry is first used.
 *
 * <p>Kafka clients are bound where a service builds them ({@link #bind(Producer)} and its siblings): Micrometer's
 * {@link KafkaClientMetrics} copies the client's own metrics, among them the consumer's {@code records-lag-max}
 * (as {@code kafka_consumer_fetch_manager_records_lag_max}), which is the consumer lag per service, by client id.
 * The binders are closed with the client's lifetime in mind: they only read the client's metrics map.
 */
public final class ServiceMetrics {

  /** The Content-Type of the Prometheus text format, version 0.0.4 (what every Prometheus scrapes). */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final PrometheusMeterRegistry REGISTRY = create();

  private ServiceMetrics() {
  }

  private static PrometheusMeterRegistry create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    // the GC binder holds a notification listener for the life of the process; one registry, so bound once
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  /** The registry every meter of this process is registered in. */
  public static MeterRegistry registry() {
    return REGISTRY;
  }

  /** Every meter, in the Prometheus text format: the body of {@code GET /metrics}. */
  public static String scrape() {
    return REGISTRY.scrape();
  }

  /**
   * Binds a producer's metrics (send rates, errors, request latency).
   *
   * @return the producer, for binding where it is built
   */
  public static <K, V> Producer<K, V> bind(Producer<K, V> producer) {
    new KafkaClientMetrics(producer).bindTo(REGISTRY);
    return producer;
  }

  /**
   * Binds a consumer's metrics, among them {@code records-lag-max}: the service's consumer lag.
   *
   * @return the consumer, for binding where it is built
   */
  public static <K, V> Consumer<K, V> bind(Consumer<K, V> consumer) {
    new KafkaClientMetrics(consumer).bindTo(REGISTRY);
    return consumer;
  }

  /**
   * Binds an admin client's metrics.
   *
   * @return the admin client, for binding where it is built
   */
  public static Admin bind(Admin admin) {
    // Admin.create builds an AdminClient; the binder takes only that class
    if (admin instanceof AdminClient client) {
      new KafkaClientMetrics(client).bindTo(REGISTRY);
    }
    return admin;
  }
}
