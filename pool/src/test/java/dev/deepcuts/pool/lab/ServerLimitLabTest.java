package dev.deepcuts.pool.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.deepcuts.core.Claim;
import dev.deepcuts.core.LabRun;
import dev.deepcuts.core.LabRunner;
import dev.deepcuts.core.Progress;
import dev.deepcuts.pool.Database;

class ServerLimitLabTest {

    @TempDir
    Path out;

    private final ByteArrayOutputStream report = new ByteArrayOutputStream();

    private LabRun quickRun() throws Exception {
        var options = new LabRunner.Options(out, LabRunner.DEFAULT_SEED, true, Map.of(), out, null,
                new PrintStream(report, true, StandardCharsets.UTF_8), Progress.silent());
        return LabRunner.run(new ServerLimitLab(), options);
    }

    private static boolean postgres() {
        String url = System.getenv(Database.ENV);
        return url != null && !url.isBlank();
    }

    @Test
    void quickRunHoldsEveryClaim() throws Exception {
        LabRun run = quickRun();
        assertThat(run.result().claims()).isNotNull().allMatch(Claim::holds);
    }

    @Test
    void throughPgBouncerFarMoreClientsRunOnItsPoolSizeOfBackendsAndSessionStateLeaks() throws Exception {
        assumeTrue(postgres(), "needs PostgreSQL: set " + Database.ENV);
        assumeTrue(PgBouncer.find().isPresent(), "needs pgbouncer (Debian: apt-get install -y pgbouncer)");
        LabRun run = quickRun();
        var m = run.result().metrics();
        double max = m.get("max_connections").value();
        double pool = m.get("bouncer_pool_size").value();
        assertThat(m.get("bouncer_clients").value()).isGreaterThan(max);
        assertThat(m.get("bouncer_backends_peak").value()).isLessThanOrEqualTo(pool);
        assertThat(m.get("bouncer_backends_after").value()).isEqualTo(pool);
        assertThat(m.get("bouncer_set_leaked").value()).isEqualTo(1.0);
        assertThat(m.get("bouncer_lock_shared").value()).isEqualTo(1.0);
        assertThat(run.result().claims()).hasSize(5).allMatch(Claim::holds);
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").endsWith("/pgbouncer")
                && String.join(" ", p.info().arguments().orElse(new String[0])).contains("deepcuts-pool-server-limit-")))
                .as("PgBouncer stopped when the lab ended").isEmpty();
    }

    @Test
    void withoutPgBouncerItSaysHowToInstallItAndClaimsNothingAboutIt() throws Exception {
        assumeTrue(postgres(), "needs PostgreSQL: set " + Database.ENV);
        assumeTrue(PgBouncer.find().isEmpty(), "pgbouncer is installed; the other test covers it");
        LabRun run = quickRun();
        assertThat(report.toString(StandardCharsets.UTF_8)).contains("apt-get install -y pgbouncer");
        assertThat(run.result().claims()).hasSize(1).allMatch(Claim::holds);
        assertThat(run.result().metrics()).doesNotContainKey("bouncer_clients");
    }
}
