package io.pxops.events;

/**
 * The ingest validated a request and admits it. The coordinator then starts it or queues it.
 *
 * @param spec the request, with defaults applied
 */
public record RequestAdmitted(RequestSpec spec) implements Event {

  /** Requires the spec. */
  public RequestAdmitted {
    Require.present(spec, "spec");
  }
}
