package io.oneuihub.dev.litellm;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

final class SimJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private SimJson() {
    }

    static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    static String writeString(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** A request body as a map; null for "null", absent or a non-object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        Object value = MAPPER.readValue(body, Object.class);
        return value instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : null;
    }
}
