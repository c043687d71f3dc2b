package io.oneuihub.dev.litellm;

import java.nio.charset.StandardCharsets;

/** What a route answers before faults are applied. */
record SimResponse(int status, String contentType, byte[] body) {

    static final String JSON = "application/json";

    static SimResponse json(int status, Object body) {
        return new SimResponse(status, JSON, SimJson.write(body));
    }

    static SimResponse ok(Object body) {
        return json(200, body);
    }

    static SimResponse plain(int status, String text) {
        return new SimResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** FastAPI HTTPException: {"detail": {"error": "..."}}. */
    static SimResponse detail(int status, String error) {
        return json(status, java.util.Map.of("detail", java.util.Map.of("error", error)));
    }

    /** LiteLLM's ProxyException: {"error": {message, type, param, code}} with code as a string. */
    static SimResponse proxyError(int status, String message, String type, String param) {
        java.util.Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", String.valueOf(status));
        return json(status, java.util.Map.of("error", error));
    }

    static SimResponse notFoundRoute() {
        return json(404, java.util.Map.of("detail", "Not Found"));
    }
}
