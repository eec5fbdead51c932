package io.jeventlet.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The value type of an option: how a HOCON value becomes a typed Java value,
 * and how a typed value is written back as HOCON.
 *
 * <p>Thread-safe: every type is immutable.
 *
 * <p>Implementation notes: values from environment variables and the command
 * line always arrive as HOCON strings, so every type also accepts the string
 * spelling of its values ({@code "12"} for an int, {@code "a,b"} for a list,
 * {@code "k:v,k2:v2"} for a map). Plain numbers given for a duration are
 * seconds (the project's time convention), unlike typesafe-config's own
 * {@code getDuration}, which reads them as milliseconds.
 *
 * @param <T> the Java type of the option's values
 */
abstract sealed class OptType<T> {

    /** A value that does not satisfy the type; {@code rule} says what was expected. */
    static final class InvalidValue extends Exception {
        InvalidValue(String rule) {
            super(rule, null, false, false);
        }
    }

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HOST_LABEL = Pattern.compile("(?!-)[A-Za-z0-9-]{1,63}(?<!-)");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** The name shown in samples and error messages, e.g. {@code "integer"}. */
    abstract String name();

    /** Converts a HOCON value (never null) to a Java value, or says which rule it breaks. */
    abstract T parse(ConfigValue value) throws InvalidValue;

    /** The value as a plain Java object that {@code ConfigValueFactory.fromAnyRef} accepts. */
    Object toConfig(T value) {
        return value;
    }

    /** The value as shown in logs. */
    String format(T value) {
        return String.valueOf(value);
    }

    /** True for types whose values have an order, so that min and max apply. */
    boolean numeric() {
        return false;
    }

    /** The value as a double, for range checks of numeric types. */
    double magnitude(T value) {
        throw new UnsupportedOperationException(name() + " has no magnitude");
    }

    static final OptType<String> STRING = new StringType("string");
    static final OptType<Boolean> BOOLEAN = new BooleanType();
    static final OptType<Integer> INTEGER = new IntegerType("integer", "must be an integer");
    static final OptType<Integer> PORT = new IntegerType("port number",
            "must be a port number (an integer from 0 to 65535)");
    static final OptType<Double> FLOAT = new FloatType();
    static final OptType<Double> DURATION = new DurationType();
    static final OptType<Long> MEMORY_SIZE = new MemorySizeType();
    static final OptType<List<String>> LIST = new ListType();
    static final OptType<Map<String, String>> MAP = new MapType();
    static final OptType<String> HOST_ADDRESS = new HostAddressType();
    static final OptType<URI> URL = new UrlType();

    static <E extends Enum<E>> OptType<E> enumType(Class<E> type) {
        return new EnumType<>(type);
    }

    /** The scalar's text, or an error if the value is an object, a list or null. */
    private static String scalar(ConfigValue value, String rule) throws InvalidValue {
        return switch (value.valueType()) {
            case STRING, NUMBER, BOOLEAN -> String.valueOf(value.unwrapped()).trim();
            default -> throw new InvalidValue(rule);
        };
    }

    private static final class StringType extends OptType<String> {
        private final String name;

        StringType(String name) {
            this.name = name;
        }

        @Override String name() {
            return name;
        }

        @Override String parse(ConfigValue value) throws InvalidValue {
            return scalar(value, "must be a string");
        }
    }

    private static final class BooleanType extends OptType<Boolean> {
        @Override String name() {
            return "boolean";
        }

        @Override Boolean parse(ConfigValue value) throws InvalidValue {
            String rule = "must be a boolean (true/false, yes/no, on/off)";
            return switch (scalar(value, rule).toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw new InvalidValue(rule);
            };
        }
    }

    private static final class IntegerType extends OptType<Integer> {
        private final String name;
        private final String rule;

        IntegerType(String name, String rule) {
            this.name = name;
            this.rule = rule;
        }

        @Override String name() {
            return name;
        }

        @Override Integer parse(ConfigValue value) throws InvalidValue {
            try {
                int parsed = Integer.parseInt(scalar(value, rule));
                if (this == PORT && (parsed < 0 || parsed > 65535)) {
                    throw new InvalidValue(rule);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new InvalidValue(rule);
            }
        }

        @Override boolean numeric() {
            return true;
        }

        @Override double magnitude(Integer value) {
            return value;
        }
    }

    private static final class FloatType extends OptType<Double> {
        @Override String name() {
            return "float";
        }

        @Override Double parse(ConfigValue value) throws InvalidValue {
            String text = scalar(value, "must be a number");
            if (!NUMBER.matcher(text).matches()) {
                throw new InvalidValue("must be a number");
            }
            return Double.parseDouble(text);
        }

        @Override boolean numeric() {
            return true;
        }

        @Override double magnitude(Double value) {
            return value;
        }
    }

    private static final class DurationType extends OptType<Double> {
        private static final String RULE = "must be a duration (e.g. 5s, 100ms, 2m) or a number of seconds";

        @Override String name() {
            return "duration";
        }

        @Override Double parse(ConfigValue value) throws InvalidValue {
            String text = scalar(value, RULE);
            if (NUMBER.matcher(text).matches()) {
                return Double.parseDouble(text);
            }
            try {
                Config holder = ConfigFactory.empty().withValue("v", value);
                return holder.getDuration("v").toNanos() / 1e9;
            } catch (ConfigException e) {
                throw new InvalidValue(RULE);
            }
        }

        @Override Object toConfig(Double seconds) {
            return format(seconds);
        }

        @Override String format(Double seconds) {
            // "60s", "0.1s": the spelling HOCON reads back as the same duration.
            return java.math.BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString() + "s";
        }

        @Override boolean numeric() {
            return true;
        }

        @Override double magnitude(Double value) {
            return value;
        }
    }

    private static final class MemorySizeType extends OptType<Long> {
        private static final String RULE = "must be a memory size (e.g. 512k, 64M, 1GiB) or a number of bytes";

        @Override String name() {
            return "memory size";
        }

        @Override Long parse(ConfigValue value) throws InvalidValue {
            scalar(value, RULE);
            try {
                return ConfigFactory.empty().withValue("v", value).getBytes("v");
            } catch (ConfigException e) {
                throw new InvalidValue(RULE);
            }
        }

        @Override boolean numeric() {
            return true;
        }

        @Override double magnitude(Long value) {
            return value;
        }
    }

    private static final class EnumType<E extends Enum<E>> extends OptType<E> {
        private final Class<E> type;

        EnumType(Class<E> type) {
            this.type = type;
        }

        @Override String name() {
            return "enum";
        }

        List<String> choices() {
            return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        }

        @Override E parse(ConfigValue value) throws InvalidValue {
            String rule = "must be one of " + choices();
            String text = scalar(value, rule);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(text)) {
                    return constant;
                }
            }
            throw new InvalidValue(rule);
        }

        @Override Object toConfig(E value) {
            return format(value);
        }

        @Override String format(E value) {
            return value.name().toLowerCase(Locale.ROOT);
        }
    }

    /** The choices of an enum type, or null for any other type. */
    List<String> enumChoices() {
        return this instanceof EnumType<?> e ? e.choices() : null;
    }

    private static final class ListType extends OptType<List<String>> {
        private static final String RULE = "must be a list of strings, or a comma-separated string";

        @Override String name() {
            return "list";
        }

        @Override List<String> parse(ConfigValue value) throws InvalidValue {
            if (value instanceof ConfigList list) {
                List<String> items = new ArrayList<>();
                for (ConfigValue item : list) {
                    items.add(scalar(item, RULE));
                }
                return List.copyOf(items);
            }
            String text = scalar(value, RULE);
            return text.isEmpty() ? List.of() : Arrays.stream(text.split(",")).map(String::trim).toList();
        }
    }

    private static final class MapType extends OptType<Map<String, String>> {
        private static final String RULE = "must be an object of strings, or a string of key:value pairs separated by commas";

        @Override String name() {
            return "map";
        }

        @Override Map<String, String> parse(ConfigValue value) throws InvalidValue {
            Map<String, String> entries = new LinkedHashMap<>();
            if (value instanceof ConfigObject object) {
                for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
                    entries.put(e.getKey(), scalar(e.getValue(), RULE));
                }
                return java.util.Collections.unmodifiableMap(entries);
            }
            String text = scalar(value, RULE);
            for (String pair : text.isEmpty() ? new String[0] : text.split(",")) {
                int colon = pair.indexOf(':');
                if (colon <= 0) {
                    throw new InvalidValue(RULE);
                }
                entries.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
            }
            return java.util.Collections.unmodifiableMap(entries);
        }
    }

    private static final class HostAddressType extends OptType<String> {
        private static final String RULE = "must be an IP address or a host name";

        @Override String name() {
            return "host address";
        }

        // Checked by syntax only: a DNS lookup at start would block and would
        // make validation depend on the network.
        @Override String parse(ConfigValue value) throws InvalidValue {
            String text = scalar(value, RULE);
            if (isIpv4(text) || isIpv6(text) || isHostName(text)) {
                return text;
            }
            throw new InvalidValue(RULE);
        }

        private static boolean isIpv4(String text) {
            var m = IPV4.matcher(text);
            if (!m.matches()) {
                return false;
            }
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(m.group(i)) > 255) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isIpv6(String text) {
            if (!text.contains(":") || !text.matches("[0-9A-Fa-f:.]+")) {
                return false;
            }
            try {
                // A literal (no name), so this never touches DNS.
                java.net.InetAddress.ofLiteral(text);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private static boolean isHostName(String text) {
            if (text.isEmpty() || text.length() > 253 || IPV4.matcher(text).matches()) {
                return false;
            }
            String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
            for (String label : name.split("\\.", -1)) {
                if (!HOST_LABEL.matcher(label).matches()) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final class UrlType extends OptType<URI> {
        private static final String RULE = "must be a URL with a scheme (e.g. zmq+tcp://127.0.0.1:9501)";

        @Override String name() {
            return "URL";
        }

        @Override URI parse(ConfigValue value) throws InvalidValue {
            try {
                URI uri = new URI(scalar(value, RULE));
                if (uri.getScheme() == null) {
                    throw new InvalidValue(RULE);
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new InvalidValue(RULE);
            }
        }

        @Override Object toConfig(URI value) {
            return value.toString();
        }
    }
}
