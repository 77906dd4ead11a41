package dev.olympus.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Webhook delivery settings ({@code olympus.webhooks.*}); defaults and comments in application.properties. */
@ConfigMapping(prefix = "olympus.webhooks")
public interface WebhooksConfig {

    /** Whether this instance delivers (every instance may; the per-webhook lease keeps them apart). */
    @WithDefault("true")
    boolean deliver();

    /** A webhook failing for this long without a success becomes {@code disabled}. */
    @WithDefault("24h")
    Duration disableAfter();

    /** The first retry's delay; each further failure doubles it, up to {@link #maxBackoff()}. */
    @WithDefault("1s")
    Duration firstBackoff();

    @WithDefault("10m")
    Duration maxBackoff();

    /** A delivery that has not completed (status and whole body) within this is a failure. */
    @WithDefault("10s")
    Duration timeout();

    /** How long an instance holds a webhook's delivery; after that another instance takes over. */
    @WithDefault("30s")
    Duration lease();

    /** The safety poll for due retries and missed wake-ups. */
    @WithDefault("1s")
    Duration pollInterval();

    /** The receiver's answer is read up to this many bytes; a longer one is a failure. */
    @WithDefault("65536")
    int maxResponseBytes();

    /** Delivery attempts kept per webhook for {@code GET .../deliveries}. */
    @WithDefault("200")
    int deliveriesKept();

    /** After a secret rotation the previous secret keeps signing (in parallel) this long. */
    @WithDefault("24h")
    Duration secretOverlap();
}
