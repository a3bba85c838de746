package io.pulse.trainer.data;

import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.Contracts;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * A spill file of {@code (index, event)} records: the index (a long: the event's position in arrival order) and the
 * event in Avro's binary encoding of the {@link UserEvent} contract, so the file holds exactly what the event carries
 * and its format is the contract's, not a second definition. Written once, read sequentially any number of times.
 */
final class EventRecords {

    private static final int BUFFER = 1 << 16;
    private static final DecoderFactory READERS = new DecoderFactory().configureDecoderBufferSize(BUFFER);

    private EventRecords() {
    }

    /** The specific reader and writer reflect on the generated classes, which Avro refuses until they are trusted. */
    private static <T> Class<T> trusted(Class<T> type) {
        Contracts.trustGeneratedClasses();
        return type;
    }

    /** Appends records to a new file. */
    static final class Writer implements AutoCloseable {
        private final Path file;
        private final OutputStream out;
        private final BinaryEncoder encoder;
        private final SpecificDatumWriter<UserEvent> writer = new SpecificDatumWriter<>(trusted(UserEvent.class));
        private long count;

        Writer(Path file) {
            this.file = file;
            try {
                this.out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the spill file " + file, e);
            }
            this.encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        }

        void append(long index, UserEvent event) {
            try {
                encoder.writeLong(index);
                writer.write(event, encoder);
                count++;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the spill file " + file + " (is the disk full?)", e);
            }
        }

        long count() {
            return count;
        }

        @Override
        public void close() {
            try {
                encoder.flush();
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the spill file " + file + " (is the disk full?)", e);
            }
        }
    }

    /** Reads a file's records in order; {@link #next()} then {@link #index()} and {@link #event()}. */
    static final class Reader implements AutoCloseable {
        private final Path file;
        private final InputStream in;
        private final BinaryDecoder decoder;
        private final SpecificDatumReader<UserEvent> reader = new SpecificDatumReader<>(trusted(UserEvent.class));
        private long index;
        private UserEvent event;

        Reader(Path file) {
            this.file = file;
            try {
                this.in = Files.newInputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the spill file " + file, e);
            }
            this.decoder = READERS.binaryDecoder(in, null);
        }

        /** Reads the next record (a new event object each time); false at the end of the file. */
        boolean next() {
            try {
                if (decoder.isEnd()) {
                    return false;
                }
                index = decoder.readLong();
                event = reader.read(null, decoder);
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the spill file " + file, e);
            }
        }

        long index() {
            return index;
        }

        UserEvent event() {
            return event;
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the spill file " + file, e);
            }
        }
    }
}
