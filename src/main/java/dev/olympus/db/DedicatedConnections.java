package dev.olympus.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.SslMode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;

/**
 * Connections outside the pool, for what must live on one session: the LISTEN connection ({@link Notifications})
 * and the scheduler leader's advisory lock. Built from the pool's own settings (the Quarkus datasource keys, which
 * {@code olympus.db.*} feed by default; see {@link DatabaseSettings}), so they always reach the same database with the
 * same credentials and TLS settings.
 */
@ApplicationScoped
public class DedicatedConnections {

    private final Vertx vertx;
    private final PgConnectOptions options;

    public DedicatedConnections(Vertx vertx,
                                @ConfigProperty(name = DatabaseSettings.REACTIVE_URL) String url,
                                @ConfigProperty(name = DatabaseSettings.USERNAME) Optional<String> user,
                                @ConfigProperty(name = DatabaseSettings.PASSWORD) Optional<String> password,
                                @ConfigProperty(name = DatabaseSettings.SSL_MODE) Optional<String> sslMode,
                                @ConfigProperty(name = "quarkus.datasource.reactive.trust-all") Optional<Boolean> trustAll,
                                @ConfigProperty(name = "quarkus.datasource.reactive.trust-certificate-pem.certs")
                                Optional<List<String>> trustedCertificates,
                                @ConfigProperty(name = "quarkus.datasource.reactive.trust-certificate-jks.path") Optional<String> jks,
                                @ConfigProperty(name = "quarkus.datasource.reactive.trust-certificate-jks.password")
                                Optional<String> jksPassword,
                                @ConfigProperty(name = "quarkus.datasource.reactive.trust-certificate-pfx.path") Optional<String> pfx,
                                @ConfigProperty(name = "quarkus.datasource.reactive.trust-certificate-pfx.password")
                                Optional<String> pfxPassword,
                                @ConfigProperty(name = "quarkus.datasource.reactive.hostname-verification-algorithm")
                                Optional<String> hostnameVerification) {
        this.vertx = vertx;
        // As Quarkus builds the pool's options: the URL, then the datasource keys on top.
        PgConnectOptions options = DatabaseUrls.options(url).setConnectTimeout(2_000);
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        sslMode.ifPresent(mode -> options.setSslMode(SslMode.of(mode)));
        trustAll.ifPresent(options::setTrustAll);
        trustedCertificates.ifPresent(certs -> {
            PemTrustOptions pem = new PemTrustOptions();
            certs.forEach(pem::addCertPath);
            options.setPemTrustOptions(pem);
        });
        jks.ifPresent(path -> options.setTrustOptions(new JksOptions().setPath(path).setPassword(jksPassword.orElse(null))));
        pfx.ifPresent(path -> options.setTrustOptions(new PfxOptions().setPath(path).setPassword(pfxPassword.orElse(null))));
        hostnameVerification.filter(algorithm -> !"NONE".equalsIgnoreCase(algorithm))
                .ifPresent(options::setHostnameVerificationAlgorithm);
        this.options = options;
    }

    public Future<PgConnection> connect() {
        return PgConnection.connect(vertx, options);
    }
}
