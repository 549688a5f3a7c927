package dev.deepcuts.bloom;

import java.util.List;
import java.util.function.Consumer;

/** Every filter type, built the same way from keys of each kind, for tests that cover them all. */
enum FilterKind {
    BLOOM, BLOCKED, SPLIT_BLOCK, COUNTING, SCALABLE, FUSE8, FUSE16;

    boolean isStatic() {
        return this == FUSE8 || this == FUSE16;
    }

    /** An empty mutable filter of this kind sized for about {@code expectedKeys} keys at 1%. */
    MutableFilter empty(long expectedKeys) {
        long n = Math.max(1, expectedKeys);
        return switch (this) {
            case BLOOM -> BloomFilter.create(n, 0.01);
            case BLOCKED -> BlockedBloomFilter.create(n, 0.01);
            case SPLIT_BLOCK -> SplitBlockBloomFilter.create(n, 0.01);
            case COUNTING -> CountingBloomFilter.create(n, 0.01);
            // a small first stage, so that a test's keys make it grow
            case SCALABLE -> ScalableBloomFilter.create(Math.max(1, n / 8), 0.01);
            case FUSE8, FUSE16 -> throw new IllegalStateException(this + " is static");
        };
    }

    Filter withLongs(long[] keys) {
        if (this == FUSE8) {
            return BinaryFuseFilter.build8(keys);
        }
        if (this == FUSE16) {
            return BinaryFuseFilter.build16(keys);
        }
        return filled(keys.length, f -> {
            for (long k : keys) {
                f.add(k);
            }
        });
    }

    Filter withStrings(List<String> keys) {
        if (this == FUSE8) {
            return BinaryFuseFilter.build8(keys);
        }
        if (this == FUSE16) {
            return BinaryFuseFilter.build16(keys);
        }
        return filled(keys.size(), f -> keys.forEach(f::add));
    }

    Filter withBytes(List<byte[]> keys) {
        byte[][] array = keys.toArray(new byte[0][]);
        if (this == FUSE8) {
            return BinaryFuseFilter.build8(array);
        }
        if (this == FUSE16) {
            return BinaryFuseFilter.build16(array);
        }
        return filled(keys.size(), f -> {
            for (byte[] k : array) {
                f.add(k);
            }
        });
    }

    private Filter filled(int n, Consumer<MutableFilter> adder) {
        MutableFilter f = empty(n);
        adder.accept(f);
        return f;
    }
}
