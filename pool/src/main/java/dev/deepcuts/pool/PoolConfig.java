package dev.deepcuts.pool;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * How a {@link ConnectionPool} connects and behaves. Immutable; built with {@link #builder(String)},
 * validated by {@link Builder#build()} with messages that name the property and the bad value.
 *
 * @param jdbcUrl            where to connect
 * @param properties         driver properties (user, password, ...)
 * @param poolName           a name for messages and metrics
 * @param maxSize            most connections, idle and in use
 * @param minIdle            idle connections the pool keeps ready
 * @param borrowTimeout      how long {@code getConnection()} waits before it fails, saying why
 * @param validationTimeout  how long a liveness check may take
 * @param idleTimeout        an idle connection above {@code minIdle} is closed after this long
 * @param maxLifetime        a connection is retired after about this long (minus up to 2.5% jitter, so they do not all go at once)
 * @param keepaliveTime      an idle connection is checked this often, so firewalls and servers do not drop it silently
 * @param leakThreshold      a connection held longer is reported as a possible leak, with where it was borrowed (zero: off)
 * @param reclaimAfter       a connection held longer is taken back by force (zero: never)
 * @param siteSampling       every how many-th borrow records its call site (a power of two; 1: all); always under pressure
 * @param events             where leak reports and pool-locking warnings go
 */
public record PoolConfig(String jdbcUrl, Properties properties, String poolName, int maxSize, int minIdle, Duration borrowTimeout,
                         Duration validationTimeout, Duration idleTimeout, Duration maxLifetime, Duration keepaliveTime,
                         Duration leakThreshold, Duration reclaimAfter, int siteSampling, Consumer<String> events) {

    /** A builder for a pool on {@code jdbcUrl}. */
    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    /** Builds a {@link PoolConfig}. Defaults: 10 connections, 30 s borrow timeout, 30 min lifetime, leak detection off. */
    public static final class Builder {
        private final String jdbcUrl;
        private final Properties properties = new Properties();
        private String poolName = "pool";
        private int maxSize = 10;
        private int minIdle = -1;
        private Duration borrowTimeout = Duration.ofSeconds(30);
        private Duration validationTimeout = Duration.ofSeconds(5);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private Duration keepaliveTime = Duration.ofMinutes(2);
        private Duration leakThreshold = Duration.ZERO;
        private Duration reclaimAfter = Duration.ZERO;
        private int siteSampling = 64;
        private Consumer<String> events = msg -> System.getLogger("dev.deepcuts.pool").log(System.Logger.Level.WARNING, msg);

        private Builder(String jdbcUrl) {
            this.jdbcUrl = jdbcUrl;
        }

        public Builder user(String user) {
            properties.setProperty("user", user);
            return this;
        }

        public Builder password(String password) {
            properties.setProperty("password", password);
            return this;
        }

        public Builder property(String key, String value) {
            properties.setProperty(key, value);
            return this;
        }

        public Builder poolName(String name) {
            this.poolName = name;
            return this;
        }

        public Builder maxSize(int n) {
            this.maxSize = n;
            return this;
        }

        public Builder minIdle(int n) {
            this.minIdle = n;
            return this;
        }

        public Builder borrowTimeout(Duration d) {
            this.borrowTimeout = d;
            return this;
        }

        public Builder validationTimeout(Duration d) {
            this.validationTimeout = d;
            return this;
        }

        public Builder idleTimeout(Duration d) {
            this.idleTimeout = d;
            return this;
        }

        public Builder maxLifetime(Duration d) {
            this.maxLifetime = d;
            return this;
        }

        public Builder keepaliveTime(Duration d) {
            this.keepaliveTime = d;
            return this;
        }

        public Builder leakThreshold(Duration d) {
            this.leakThreshold = d;
            return this;
        }

        public Builder reclaimAfter(Duration d) {
            this.reclaimAfter = d;
            return this;
        }

        public Builder siteSampling(int everyNth) {
            this.siteSampling = everyNth;
            return this;
        }

        public Builder events(Consumer<String> sink) {
            this.events = sink;
            return this;
        }

        /** Validates and builds. */
        public PoolConfig build() {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
                throw new IllegalArgumentException("jdbcUrl must start with 'jdbc:', got " + jdbcUrl);
            }
            if (maxSize < 1) {
                throw new IllegalArgumentException("maxSize must be at least 1, got " + maxSize);
            }
            int min = minIdle < 0 ? maxSize : minIdle;
            if (min > maxSize) {
                throw new IllegalArgumentException("minIdle (" + min + ") must not exceed maxSize (" + maxSize + ")");
            }
            positive("borrowTimeout", borrowTimeout);
            positive("validationTimeout", validationTimeout);
            positive("idleTimeout", idleTimeout);
            positive("maxLifetime", maxLifetime);
            positive("keepaliveTime", keepaliveTime);
            notNegative("leakThreshold", leakThreshold);
            notNegative("reclaimAfter", reclaimAfter);
            if (maxLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("maxLifetime must be at least 1 s, got " + maxLifetime.toMillis() + " ms");
            }
            if (siteSampling < 1 || Integer.bitCount(siteSampling) != 1) {
                throw new IllegalArgumentException("siteSampling must be a power of two (1 = every borrow), got " + siteSampling);
            }
            Properties copy = new Properties();
            copy.putAll(properties);
            return new PoolConfig(jdbcUrl, copy, Objects.requireNonNull(poolName, "poolName"), maxSize, min, borrowTimeout,
                    validationTimeout, idleTimeout, maxLifetime, keepaliveTime, leakThreshold, reclaimAfter, siteSampling,
                    Objects.requireNonNull(events, "events"));
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
        }

        private static void notNegative(String name, Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, got " + d);
            }
        }
    }

    /** The URL with any password parameter masked, for messages. */
    String safeUrl() {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
