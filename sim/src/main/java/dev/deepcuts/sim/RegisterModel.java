package dev.deepcuts.sim;

import java.util.Objects;
import java.util.Optional;

/**
 * The sequential specification of a single read/write register holding a {@code long}, with
 * compare-and-set: the model that split-brain and read-your-writes histories are checked against.
 */
public final class RegisterModel implements Linearizability.Model<RegisterModel.State, RegisterModel.Input, RegisterModel.Output> {

    /** The register's value. */
    public record State(long value) {
    }

    /** An operation on the register. */
    public sealed interface Input permits Read, Write, Cas {
    }

    /** Read the value. */
    public record Read() implements Input {
        @Override
        public String toString() {
            return "read";
        }
    }

    /** Write {@code value}. */
    public record Write(long value) implements Input {
        @Override
        public String toString() {
            return "write " + value;
        }
    }

    /** Set to {@code to} if the value is {@code expect}. */
    public record Cas(long expect, long to) implements Input {
        @Override
        public String toString() {
            return "cas " + expect + "->" + to;
        }
    }

    /** What an operation answered: the value read, or whether a write or cas succeeded. */
    public record Output(long value, boolean success) {
        /** A read that returned {@code value}. */
        public static Output read(long value) {
            return new Output(value, true);
        }

        /** A write or successful cas. */
        public static Output done() {
            return new Output(0, true);
        }

        /** A failed cas. */
        public static Output failed() {
            return new Output(0, false);
        }

        @Override
        public String toString() {
            return success ? "ok(" + value + ")" : "fail";
        }
    }

    private final long initial;

    /** A register that starts at {@code initial}. */
    public RegisterModel(long initial) {
        this.initial = initial;
    }

    @Override
    public State initial() {
        return new State(initial);
    }

    @Override
    public Optional<State> step(State state, Input input, Output output) {
        Objects.requireNonNull(input, "input");
        return switch (input) {
            case Read r -> output == null || (output.success() && output.value() == state.value()) ? Optional.of(state) : Optional.empty();
            case Write w -> output == null || output.success() ? Optional.of(new State(w.value())) : Optional.empty();
            case Cas c -> {
                boolean applies = state.value() == c.expect();
                if (output == null) yield Optional.of(applies ? new State(c.to()) : state);
                yield output.success() == applies ? Optional.of(applies ? new State(c.to()) : state) : Optional.empty();
            }
        };
    }
}
