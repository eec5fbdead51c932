package io.jeventlet.conf;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * {@code log.use_json}: one JSON object a line with the keys of oslo.log's
 * {@code JSONFormatter}, so the log pipelines OpenStack operators already
 * run parse a jeventlet daemon's lines as they parse a Python service's:
 * {@code message} (formatted), {@code asctime} (Python's
 * {@code 2026-12-06 21:51:27,123}), {@code name}, {@code msg} (the
 * unformatted pattern), {@code args}, {@code levelname} (Python's names:
 * {@code WARNING}, not {@code WARN}), {@code levelno} (10, 20, 30, 40),
 * {@code created} (epoch seconds), {@code msecs}, {@code relative_created},
 * {@code thread_name}, {@code process_name}, {@code process} (the pid),
 * {@code traceback} (the stack as a list of lines, or null),
 * {@code hostname}, {@code error_summary}, {@code context} (the MDC: request
 * id, green thread, hub...) and {@code extra}. Python's source-position keys
 * ({@code pathname}, {@code lineno}, ...) are null: finding a caller's line
 * costs a stack walk per line.
 *
 * <p>Thread-safe: stateless per event (logback calls it from any thread).
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS",
            Locale.ROOT).withZone(ZoneId.systemDefault());
    private final String hostname = hostName();
    private final long pid = ProcessHandle.current().pid();
    private String processName = "MainProcess";

    /** The {@code process_name} key: the program's name. */
    public void setProcessName(String name) {
        if (name != null && !name.isEmpty()) {
            this.processName = name;
        }
    }

    @Override
    public String doLayout(ILoggingEvent e) {
        StringBuilder b = new StringBuilder(256);
        b.append('{');
        field(b, "message", e.getFormattedMessage());
        field(b, "asctime", ASCTIME.format(Instant.ofEpochMilli(e.getTimeStamp())));
        field(b, "name", e.getLoggerName());
        field(b, "msg", e.getMessage());
        b.append(",\"args\":[");
        Object[] args = e.getArgumentArray();
        if (args != null) {
            for (int i = 0; i < args.length; i++) {
                if (i > 0) {
                    b.append(',');
                }
                string(b, String.valueOf(args[i]));
            }
        }
        b.append(']');
        field(b, "levelname", levelName(e.getLevel()));
        raw(b, "levelno", Integer.toString(levelNo(e.getLevel())));
        for (String k : new String[] {"pathname", "filename", "module", "lineno", "funcname"}) {
            raw(b, k, "null");
        }
        raw(b, "created", Double.toString(e.getTimeStamp() / 1000.0));
        raw(b, "msecs", Double.toString(e.getTimeStamp() % 1000));
        long birth = e.getLoggerContextVO() == null ? e.getTimeStamp() : e.getLoggerContextVO().getBirthTime();
        raw(b, "relative_created", Double.toString(e.getTimeStamp() - birth));
        raw(b, "thread", "null");
        field(b, "thread_name", e.getThreadName());
        field(b, "process_name", processName);
        raw(b, "process", Long.toString(pid));
        IThrowableProxy t = e.getThrowableProxy();
        b.append(",\"traceback\":");
        if (t == null) {
            b.append("null");
        } else {
            b.append('[');
            boolean first = true;
            for (String line : ThrowableProxyUtil.asString(t).split("\\R")) {
                if (line.isBlank()) {
                    continue;
                }
                if (!first) {
                    b.append(',');
                }
                first = false;
                string(b, line.stripTrailing());
            }
            b.append(']');
        }
        field(b, "hostname", hostname);
        field(b, "error_summary", t == null ? "" : t.getClassName() + ": " + t.getMessage());
        b.append(",\"context\":{");
        Map<String, String> mdc = e.getMDCPropertyMap();
        boolean first = true;
        for (Map.Entry<String, String> m : mdc.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, m.getKey());
            b.append(':');
            string(b, m.getValue());
        }
        b.append("},\"extra\":{}}");
        b.append(System.lineSeparator());
        return b.toString();
    }

    @Override
    public String getContentType() {
        return "application/json";
    }

    /** Python's level names. */
    static String levelName(Level level) {
        return switch (level.toInt()) {
            case Level.TRACE_INT -> "TRACE";
            case Level.DEBUG_INT -> "DEBUG";
            case Level.INFO_INT -> "INFO";
            case Level.WARN_INT -> "WARNING";
            default -> "ERROR";
        };
    }

    /** Python's level numbers (TRACE is oslo.log's 5). */
    static int levelNo(Level level) {
        return switch (level.toInt()) {
            case Level.TRACE_INT -> 5;
            case Level.DEBUG_INT -> 10;
            case Level.INFO_INT -> 20;
            case Level.WARN_INT -> 30;
            default -> 40;
        };
    }

    private static void field(StringBuilder b, String key, String value) {
        if (b.length() > 1) {
            b.append(',');
        }
        string(b, key);
        b.append(':');
        if (value == null) {
            b.append("null");
        } else {
            string(b, value);
        }
    }

    private static void raw(StringBuilder b, String key, String json) {
        b.append(',');
        string(b, key);
        b.append(':').append(json);
    }

    /** A JSON string (RFC 8259 escapes; everything else as is, the line is UTF-8). */
    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return null;
        }
    }

}
