package io.pulse.pipeline;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event at INFO and above, from every logger (Pulse's, Kafka's, anyone's), with logback's
 * {@link ListAppender}: the levels of all configured loggers are lowered to INFO while it is open (restored on close),
 * so nothing that production could print at INFO escapes the check.
 */
public final class LogCapture implements AutoCloseable {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Map<Logger, Level> previous = new HashMap<>();
    private final List<ch.qos.logback.core.Appender<ILoggingEvent>> consoles = new ArrayList<>();

    public LogCapture() {
        appender.setContext(context);
        appender.start();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                previous.put(logger, logger.getLevel());
                logger.setLevel(Level.INFO);
            }
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previous.put(root, root.getLevel());
        root.setLevel(Level.INFO);
        // while levels are lowered, the usual appenders would print Kafka's INFO chatter: park them
        root.iteratorForAppenders().forEachRemaining(consoles::add);
        consoles.forEach(root::detachAppender);
        root.addAppender(appender);
    }

    /** Every captured line at INFO or above: level, logger, formatted message and the messages of any throwable. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : new ArrayList<>(appender.list)) {
            if (!event.getLevel().isGreaterOrEqual(Level.INFO)) {
                continue;
            }
            StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " - "
                    + event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** The captured lines that contain any of {@code secrets}. */
    public List<String> linesContainingAny(Collection<String> secrets) {
        return lines().stream().filter(line -> secrets.stream().anyMatch(line::contains)).toList();
    }

    @Override
    public void close() {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(appender);
        appender.stop();
        previous.forEach(Logger::setLevel);
        consoles.forEach(root::addAppender);
    }
}
