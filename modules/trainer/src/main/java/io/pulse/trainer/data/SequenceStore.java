package io.pulse.trainer.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.RandomAccess;

/**
 * Every user's {@link UserSequence} in one file, and an index (user id, offset, size) in memory: what a training round
 * keeps is one index entry per user, not the steps. {@link #sequences()} is a list view in user-id order that decodes
 * a sequence from the file when it is asked for (the last few are cached, since the trainer mostly walks the users in
 * order); decoding reads the file through positional reads, not a memory map, so the page cache, not the process,
 * holds the file.
 *
 * <p>A record: the step count {@code n}; {@code n} event times; {@code n} bytes each of type, period, next action,
 * churn and fraud; {@code n} rows of {@code inputSize} raw features; then {@code n} event ids, items and categories
 * (UTF-8, length-prefixed, -1 for none). Big-endian throughout.
 */
final class SequenceStore implements AutoCloseable {

    private static final int CACHED = 4;

    private final SpillDirectory directory;
    private final FileChannel channel;
    private final int inputSize;
    private final String[] users;
    private final long[] offsets;
    private final int[] sizes;
    private final long steps;
    private final List<UserSequence> view = new View();
    private final int[] cachedIndex = new int[CACHED];
    private final UserSequence[] cached = new UserSequence[CACHED];
    private int nextSlot;

    private SequenceStore(SpillDirectory directory, FileChannel channel, int inputSize, String[] users, long[] offsets,
            int[] sizes, long steps) {
        this.directory = directory;
        this.channel = channel;
        this.inputSize = inputSize;
        this.users = users;
        this.offsets = offsets;
        this.sizes = sizes;
        this.steps = steps;
        Arrays.fill(cachedIndex, -1);
    }

    /** A writer of a new store in {@code directory}, which the store then owns. */
    static Writer writer(SpillDirectory directory, int inputSize) {
        return new Writer(directory, inputSize);
    }

    /** The sequences in user-id order, decoded on demand. Read-only. */
    List<UserSequence> sequences() {
        return view;
    }

    /** Total steps of all users. */
    long steps() {
        return steps;
    }

    @Override
    public void close() {
        release(channel, directory);
    }

    /** Closes the file and deletes its directory (what matters; a failed close cannot stop it). */
    private static void release(FileChannel channel, SpillDirectory directory) {
        try {
            channel.close();
        } catch (IOException e) {
            // the directory is deleted below all the same
        }
        directory.close();
    }

    private synchronized UserSequence get(int index) {
        for (int slot = 0; slot < CACHED; slot++) {
            if (cachedIndex[slot] == index) {
                return cached[slot];
            }
        }
        UserSequence sequence = read(index);
        cachedIndex[nextSlot] = index;
        cached[nextSlot] = sequence;
        nextSlot = (nextSlot + 1) % CACHED;
        return sequence;
    }

    private UserSequence read(int index) {
        ByteBuffer buffer = ByteBuffer.allocate(sizes[index]);
        try {
            long position = offsets[index];
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, position + buffer.position());
                if (read < 0) {
                    throw new IllegalStateException("the sequence file " + directory.path() + " is truncated");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sequence file in " + directory.path(), e);
        }
        buffer.flip();
        return decode(users[index], buffer, inputSize);
    }

    static UserSequence decode(String user, ByteBuffer in, int inputSize) {
        int n = in.getInt();
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = in.getLong();
        }
        byte[] types = bytes(in, n);
        byte[] periods = bytes(in, n);
        byte[] next = bytes(in, n);
        byte[] churn = bytes(in, n);
        byte[] fraud = bytes(in, n);
        float[][] raw = new float[n][inputSize];
        for (float[] row : raw) {
            in.asFloatBuffer().get(row);
            in.position(in.position() + inputSize * Float.BYTES);
        }
        String[] ids = strings(in, n);
        String[] items = strings(in, n);
        String[] categories = strings(in, n);
        return new UserSequence(user, ids, times, types, raw, periods, next, churn, fraud, items, categories);
    }

    private static byte[] bytes(ByteBuffer in, int n) {
        byte[] values = new byte[n];
        in.get(values);
        return values;
    }

    private static String[] strings(ByteBuffer in, int n) {
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            int length = in.getInt();
            if (length >= 0) {
                values[i] = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
                in.position(in.position() + length);
            }
        }
        return values;
    }

    static void encode(UserSequence s, DataOutputStream out) throws IOException {
        int n = s.length();
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            out.writeLong(s.timeMillis(i));
        }
        for (int i = 0; i < n; i++) {
            out.writeByte(s.typeIndex(i));
        }
        for (int i = 0; i < n; i++) {
            out.writeByte(s.period(i).ordinal());
        }
        for (int i = 0; i < n; i++) {
            out.writeByte(s.nextAction(i));
        }
        for (int i = 0; i < n; i++) {
            out.writeByte(s.churn(i));
        }
        for (int i = 0; i < n; i++) {
            out.writeByte(s.fraud(i));
        }
        for (int i = 0; i < n; i++) {
            for (float v : s.raw(i)) {
                out.writeFloat(v);
            }
        }
        for (int i = 0; i < n; i++) {
            writeString(out, s.eventId(i));
        }
        for (int i = 0; i < n; i++) {
            writeString(out, s.itemId(i));
        }
        for (int i = 0; i < n; i++) {
            writeString(out, s.category(i));
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Appends sequences (any user order); {@link #finish()} sorts the index by user id. */
    static final class Writer implements AutoCloseable {
        private final SpillDirectory directory;
        private final int inputSize;
        private final FileChannel channel;
        private final ByteArrayOutputStream record = new ByteArrayOutputStream(1 << 16);
        private final DataOutputStream out = new DataOutputStream(record);
        private final List<String> users = new ArrayList<>();
        private long[] offsets = new long[1024];
        private int[] sizes = new int[1024];
        private long position;
        private long steps;
        private boolean finished;

        private Writer(SpillDirectory directory, int inputSize) {
            this.directory = directory;
            this.inputSize = inputSize;
            Path file = directory.file("sequences");
            try {
                this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the sequence file " + file, e);
            }
        }

        void add(UserSequence sequence) {
            record.reset();
            try {
                encode(sequence, out);
                out.flush();
                ByteBuffer bytes = ByteBuffer.wrap(record.toByteArray());
                int size = bytes.remaining();
                while (bytes.hasRemaining()) {
                    channel.write(bytes, position + bytes.position());
                }
                int index = users.size();
                if (index == offsets.length) {
                    offsets = Arrays.copyOf(offsets, index * 2);
                    sizes = Arrays.copyOf(sizes, index * 2);
                }
                users.add(sequence.userId());
                offsets[index] = position;
                sizes[index] = size;
                position += size;
                steps += sequence.length();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the sequence file in " + directory.path()
                        + " (is the disk full?)", e);
            }
        }

        /** The store, its users in id order. */
        SequenceStore finish() {
            int n = users.size();
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparing(users::get));
            String[] sortedUsers = new String[n];
            long[] sortedOffsets = new long[n];
            int[] sortedSizes = new int[n];
            for (int i = 0; i < n; i++) {
                sortedUsers[i] = users.get(order[i]);
                sortedOffsets[i] = offsets[order[i]];
                sortedSizes[i] = sizes[order[i]];
            }
            finished = true;
            return new SequenceStore(directory, channel, inputSize, sortedUsers, sortedOffsets, sortedSizes, steps);
        }

        /** Deletes the file unless {@link #finish()} handed it to a store. */
        @Override
        public void close() {
            if (!finished) {
                release(channel, directory);
            }
        }
    }

    private final class View extends AbstractList<UserSequence> implements RandomAccess {
        @Override
        public UserSequence get(int index) {
            java.util.Objects.checkIndex(index, users.length);
            return SequenceStore.this.get(index);
        }

        @Override
        public int size() {
            return users.length;
        }
    }
}
