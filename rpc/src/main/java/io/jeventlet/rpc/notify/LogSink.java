package io.jeventlet.rpc.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oslo's {@code log} driver: one line per notification, the notification's
 * fields as JSON with secret values masked as {@code ***}, on the logger
 * {@code oslo.messaging.notification.<event_type>}, at the priority's level
 * ({@code CRITICAL} at ERROR, {@code AUDIT} and {@code SAMPLE} at INFO:
 * SLF4J has no such levels). Thread-safe (immutable).
 */
final class LogSink implements NotificationSink {
    static final String LOGGER_BASE = "oslo.messaging.notification";
    /** oslo's strutils mask. */
    static final String MASK = "***";
    /** Key fragments whose values oslo's {@code mask_dict_password} hides (case-insensitive). */
    private static final List<String> SECRET_KEY_PARTS = List.of("password", "adminpass", "admin_pass", "new_pass", "pswd", "token", "secret",
            "private_key", "passphrase", "fernetkey", "sslkey", "cephxkey", "keytab", "encrypted_key", "configdrive");
    private static final Logger SELF = LoggerFactory.getLogger(LogSink.class);

    private final ObjectMapper mapper;

    LogSink(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void send(NotificationMessage message, Priority priority, int retry) {
        Logger log = LoggerFactory.getLogger(LOGGER_BASE + "." + message.eventType());
        if (!enabled(log, priority)) {
            return;
        }
        String line;
        try {
            Object plain = mapper.convertValue(message.fields(), Object.class);
            line = mapper.writeValueAsString(mask(plain));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            NotificationCounters.count(priority.lower(), NotificationCounters.Result.DROPPED);
            SELF.error("notification {} ({}) cannot be logged: {}", message.messageId(), message.eventType(),
                    e.toString());
            return;
        }
        switch (priority) {
            case DEBUG -> log.debug(line);
            case WARN -> log.warn(line);
            case ERROR, CRITICAL -> log.error(line);
            default -> log.info(line);
        }
        NotificationCounters.count(priority.lower(), NotificationCounters.Result.SENT);
    }

    private static boolean enabled(Logger log, Priority p) {
        return switch (p) {
            case DEBUG -> log.isDebugEnabled();
            case WARN -> log.isWarnEnabled();
            case ERROR, CRITICAL -> log.isErrorEnabled();
            default -> log.isInfoEnabled();
        };
    }

    /** {@code value} with every secret-named entry of every map in it replaced by {@link #MASK}. */
    static Object mask(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, k instanceof String s && secret(s) && v != null ? MASK : mask(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object v : list) {
                out.add(mask(v));
            }
            return out;
        }
        return value;
    }

    static boolean secret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (String part : SECRET_KEY_PARTS) {
            if (k.contains(part)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "log";
    }
}
