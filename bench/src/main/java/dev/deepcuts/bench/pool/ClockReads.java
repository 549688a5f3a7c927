package dev.deepcuts.bench.pool;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.sql.DataSource;

/**
 * Counts the clock reads of one borrow/return cycle of each pool: a Java agent rewrites, in every
 * class outside the JDK, each call that reads a clock ({@code System.nanoTime()},
 * {@code System.currentTimeMillis()}, {@code Instant.now()}, {@code Clock.instant()},
 * {@code Clock.millis()}) into a call here that counts it, if it is made by the measuring thread,
 * and then reads the clock. Background threads (a pool's housekeeper, our coarse clock's ticker)
 * are not counted: their reads do not grow with the cycles.
 *
 * <p>Run by {@link PoolBench} in a JVM of its own, started with the agent
 * ({@link #inChildJvm(List, Duration)}); it prints one line per pool and cycle:
 * {@code clock-reads <pool> <cycle> <reads per cycle>}. What it cannot see: clock reads inside the
 * JDK's own code (e.g. a timed {@code poll} of a queue, on a pool's slow path only).
 */
public final class ClockReads {

    private static volatile boolean installed;
    private static volatile Thread counted;
    private static long reads; // written only by the counted thread

    private ClockReads() {
    }

    // ---------------------------------------------------------------------------------------------
    // what rewritten code calls instead of the clock

    public static long nanoTime() {
        count();
        return System.nanoTime();
    }

    public static long currentTimeMillis() {
        count();
        return System.currentTimeMillis();
    }

    public static Instant instantNow() {
        count();
        return Instant.now();
    }

    public static Instant instant(Clock clock) {
        count();
        return clock.instant();
    }

    public static long millis(Clock clock) {
        count();
        return clock.millis();
    }

    private static void count() {
        if (Thread.currentThread() == counted) {
            reads++;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the agent

    private static final ClassDesc SELF = ClassDesc.of(ClockReads.class.getName());
    private static final ClassDesc CLOCK = ClassDesc.of("java.time.Clock");
    private static final ClassDesc INSTANT = ClassDesc.of("java.time.Instant");

    /** Installs the rewriting of clock reads; named by the agent jar's {@code Premain-Class}. */
    public static void premain(String args, Instrumentation instrumentation) {
        installed = true;
        instrumentation.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
                if (name == null || loader == null || name.startsWith("java/") || name.startsWith("jdk/") || name.startsWith("sun/")
                        || name.startsWith("com/sun/") || name.equals("dev/deepcuts/bench/pool/ClockReads")) {
                    return null;
                }
                try {
                    return rewrite(bytes);
                } catch (RuntimeException e) {
                    System.err.println("clock-reads: cannot rewrite " + name + ": " + e);
                    return null;
                }
            }
        });
    }

    /** The class with every clock read redirected here, or null if it reads no clock. */
    static byte[] rewrite(byte[] bytes) {
        var cf = ClassFile.of();
        var model = cf.parse(bytes);
        boolean[] changed = {false};
        CodeTransform redirect = (code, element) -> {
            if (element instanceof InvokeInstruction i) {
                String owner = i.owner().asInternalName();
                String method = i.name().stringValue();
                String type = i.type().stringValue();
                String target = null;
                MethodTypeDesc desc = null;
                if (i.opcode() == Opcode.INVOKESTATIC && owner.equals("java/lang/System") && type.equals("()J")
                        && (method.equals("nanoTime") || method.equals("currentTimeMillis"))) {
                    target = method;
                    desc = MethodTypeDesc.ofDescriptor("()J");
                } else if (i.opcode() == Opcode.INVOKESTATIC && owner.equals("java/time/Instant") && method.equals("now")
                        && type.equals("()Ljava/time/Instant;")) {
                    target = "instantNow";
                    desc = MethodTypeDesc.of(INSTANT);
                } else if (i.opcode() == Opcode.INVOKEVIRTUAL && owner.equals("java/time/Clock") && method.equals("instant")) {
                    target = "instant";
                    desc = MethodTypeDesc.of(INSTANT, CLOCK);
                } else if (i.opcode() == Opcode.INVOKEVIRTUAL && owner.equals("java/time/Clock") && method.equals("millis")) {
                    target = "millis";
                    desc = MethodTypeDesc.ofDescriptor("(Ljava/time/Clock;)J");
                }
                if (target != null) {
                    code.invokestatic(SELF, target, desc);
                    changed[0] = true;
                    return;
                }
            }
            code.with(element);
        };
        byte[] out = cf.transformClass(model, ClassTransform.transformingMethodBodies(redirect));
        return changed[0] ? out : null;
    }

    /** Writes an agent jar (a manifest naming this class; the class itself comes from the class path). */
    static Path agentJar() throws IOException {
        Path jar = Files.createTempFile("deepcuts-clock-reads-", ".jar");
        jar.toFile().deleteOnExit();
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), ClockReads.class.getName());
        try (OutputStream out = Files.newOutputStream(jar); var j = new JarOutputStream(out, manifest)) {
            j.flush();
        }
        return jar;
    }

    // ---------------------------------------------------------------------------------------------
    // the measurement

    /** Cycles of each kind counted, after as many uncounted. */
    static final int CYCLES = 20_000;

    /**
     * Starts a JVM with the agent, counts the reads per cycle of every contender over the stub, and
     * returns them: contender, then cycle, then reads per cycle.
     */
    static Map<Contender, Map<Cycle, Double>> inChildJvm(List<Contender> contenders, Duration timeout) throws Exception {
        Path jar = agentJar();
        try {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-javaagent:" + jar, "-Xmx512m", "-cp", System.getProperty("java.class.path"), ClockReads.class.getName()));
            for (Contender c : contenders) {
                command.add(c.param);
            }
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output;
            try (var in = p.getInputStream()) {
                output = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("counting clock reads took longer than " + timeout.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("counting clock reads failed (exit " + p.exitValue() + "):\n" + output);
            }
            return parse(output);
        } finally {
            Files.deleteIfExists(jar);
        }
    }

    /** The lines {@code clock-reads <pool> <cycle> <reads>} of {@code output}; other lines are ignored. */
    static Map<Contender, Map<Cycle, Double>> parse(String output) {
        Map<Contender, Map<Cycle, Double>> reads = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length == 4 && f[0].equals("clock-reads")) {
                reads.computeIfAbsent(Contender.byParam(f[1]), k -> new LinkedHashMap<>())
                        .put(Cycle.byMethod(f[2]), Double.parseDouble(f[3]));
            }
        }
        return reads;
    }

    /** In the child JVM: {@code args} are the pools' JMH parameters. */
    public static void main(String[] args) throws Exception {
        if (!installed) {
            throw new IllegalStateException("the clock-reads agent is not installed: run with -javaagent (see inChildJvm)");
        }
        for (String param : args) {
            Contender c = Contender.byParam(param);
            try (var pool = c.open(StubDriver.URL, PoolState.SIZE, PoolState.BORROW_TIMEOUT)) {
                for (Cycle cycle : Cycle.values()) {
                    run(pool.dataSource(), cycle, CYCLES);   // warm, uncounted
                    reads = 0;
                    counted = Thread.currentThread();
                    run(pool.dataSource(), cycle, CYCLES);
                    counted = null;
                    System.out.printf(Locale.ROOT, "clock-reads %s %s %.4f%n", c.param, cycle.method, (double) reads / CYCLES);
                }
            }
        }
    }

    private static void run(DataSource ds, Cycle cycle, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            if (cycle == Cycle.BORROW_RETURN) {
                Connection c = ds.getConnection();
                c.close();
            } else {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute(CycleBench.SQL);
                }
            }
        }
    }
}
