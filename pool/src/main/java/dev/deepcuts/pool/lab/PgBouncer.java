package dev.deepcuts.pool.lab;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A private PgBouncer process started by a lab: its own ini file in a scratch folder, its own free
 * port, transaction pooling, and two databases in front of the PostgreSQL the lab uses —
 * {@value #DATABASE} with {@code default_pool_size} server connections and {@value #DEMO} with a
 * single one. Closing it stops the process.
 *
 * <p>Clients are trusted ({@code auth_type = trust}, listening on 127.0.0.1 only); PgBouncer logs
 * in to the server with the user and password taken from the lab's JDBC URL. Every server
 * connection it opens carries {@code application_name = }{@value #APPLICATION_NAME}, and its
 * clients are told to use the same name, so {@code pg_stat_activity} can count exactly the backends
 * that PgBouncer holds. PgBouncer refuses to run as root; under root it is told to switch to the
 * {@code postgres} user ({@code -u}).
 */
final class PgBouncer implements AutoCloseable {

    static final String DATABASE = "deepcuts";
    static final String DEMO = "deepcuts_demo";
    static final String APPLICATION_NAME = "deepcuts-pgbouncer";

    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]*)(?:\\?(.*))?");

    private final Process process;
    private final int port;
    private final String user;
    private final Path log;

    private PgBouncer(Process process, int port, String user, Path log) {
        this.process = process;
        this.port = port;
        this.user = user;
        this.log = log;
    }

    /** The {@code pgbouncer} binary on the PATH or in /usr/sbin, if there is one. */
    static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + java.io.File.pathSeparator + "/usr/sbin").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, "pgbouncer");
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Starts PgBouncer in {@code dir} in front of the server named by {@code serverUrl} and waits until it accepts connections. */
    static PgBouncer start(Path binary, Path dir, String serverUrl, int poolSize, int maxClientConn) throws IOException, SQLException {
        var m = URL.matcher(serverUrl);
        if (!m.matches()) {
            throw new SQLException("cannot read host, port and database from " + serverUrl.replaceAll("(?i)(password=)[^&]*", "$1***"));
        }
        Map<String, String> query = new HashMap<>();
        if (m.group(4) != null) {
            for (String kv : m.group(4).split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    query.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        String user = query.getOrDefault("user", "postgres");
        String server = "host=" + quote(m.group(1)) + " port=" + (m.group(2) == null ? "5432" : m.group(2)) + " dbname="
                + quote(m.group(3).isEmpty() ? user : m.group(3)) + " user=" + quote(user)
                + (query.containsKey("password") ? " password=" + quote(query.get("password")) : "")
                + " application_name=" + APPLICATION_NAME;
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path users = dir.resolve("userlist.txt");         // trust still wants the user listed; the password is not checked
        Files.writeString(users, "\"" + user.replace("\"", "\"\"") + "\" \"\"\n");
        Path ini = dir.resolve("pgbouncer.ini");
        Files.writeString(ini, String.join("\n",
                "[databases]",
                DATABASE + " = " + server,
                DEMO + " = " + server + " pool_size=1",
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = trust",
                "auth_file = " + users,
                "pool_mode = transaction",
                "max_client_conn = " + maxClientConn,
                "default_pool_size = " + poolSize,
                "reserve_pool_size = 0",
                "ignore_startup_parameters = extra_float_digits,options",
                ""));
        Path log = dir.resolve("pgbouncer.log");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {                                           // readable by the user it switches to
            for (Path f : List.of(dir, users, ini)) {
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        var command = new java.util.ArrayList<>(List.of(binary.toString()));
        if (root) {
            command.addAll(List.of("-u", "postgres"));          // PgBouncer will not run as root
        }
        command.add(ini.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var bouncer = new PgBouncer(p, port, user, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                DriverManager.getConnection(bouncer.url(DATABASE)).close(); // it accepts connections: ready
                return bouncer;
            } catch (SQLException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    bouncer.close();
                    throw new SQLException("PgBouncer did not start (" + e.getMessage() + "); its log: " + bouncer.logTail(), e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    bouncer.close();
                    throw new SQLException("interrupted while waiting for PgBouncer", ie);
                }
            }
        }
    }

    /**
     * A JDBC URL for one of PgBouncer's databases. {@code prepareThreshold=0} keeps the driver on
     * unnamed statements, which PgBouncer 1.18 in transaction mode cannot track.
     */
    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&ApplicationName=" + APPLICATION_NAME + "&prepareThreshold=0";
    }

    /** The port it listens on. */
    int port() {
        return port;
    }

    /** Stops the process (SIGTERM, then SIGKILL after five seconds). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String logTail() {
        try {
            var lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static String quote(String v) {
        return "'" + v.replace("'", "''") + "'";
    }
}
