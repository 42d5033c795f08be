package gopl.crawler;

/** The crawler's {@code --format jsonl}: a {@link Crawler.Result} as one line of JSON, keys in a fixed order. */
final class JsonLines {
    private JsonLines() {}

    /** {@code {"url":"...","depth":1,"status":200,"referrer":"..."}}, with {@code location} and {@code error} when there are. */
    static String of(Crawler.Result result) {
        var json = new StringBuilder(160).append("{\"url\":");
        string(json, result.uri().toString());
        json.append(",\"depth\":").append(result.depth()).append(",\"status\":");
        json.append(result.status() == 0 ? "null" : Integer.toString(result.status())).append(",\"referrer\":");
        string(json, result.referrer() == null ? null : result.referrer().toString());
        if (result.location() != null) {
            json.append(",\"location\":");
            string(json, result.location().toString());
        }
        if (result.error() != null) {
            json.append(",\"error\":");
            string(json, result.error());
        }
        return json.append('}').toString();
    }

    /** A JSON string (RFC 8259): quotes, backslashes and control characters escaped; null as null. */
    static void string(StringBuilder json, String text) {
        if (text == null) {
            json.append("null");
            return;
        }
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
