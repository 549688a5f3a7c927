package dev.deepcuts.cli;

import java.util.List;

import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;

/** Two labs registered only on the test class path, under chapter "descriptors", one whose claim fails. */
final class TestLabs {
    private TestLabs() {
    }

    public static final class Holds implements Lab {
        @Override
        public String chapter() {
            return "descriptors";
        }

        @Override
        public String id() {
            return "test-holds";
        }

        @Override
        public String title() {
            return "a test lab whose claim holds";
        }

        @Override
        public List<Param> params() {
            return List.of(Param.ofLong("keys", 1000, 10, "how many keys"));
        }

        @Override
        public LabResult run(LabContext context) {
            var b = LabResult.builder().metric("keys", context.longParam("keys"), "count");
            b.claim("it ran", true);
            return b.verdict("fine").build();
        }
    }

    public static final class Fails implements Lab {
        @Override
        public String chapter() {
            return "descriptors";
        }

        @Override
        public String id() {
            return "test-fails";
        }

        @Override
        public String title() {
            return "a test lab whose claim fails";
        }

        @Override
        public List<Param> params() {
            return List.of();
        }

        @Override
        public LabResult run(LabContext context) {
            var b = LabResult.builder();
            b.claim("two plus two is five", 2 + 2 == 5);
            return b.verdict("arithmetic disagrees").build();
        }
    }
}
