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

    /** A refusal in one of LiteLLM's error shapes (API.md 1.4); never FastAPI's bare "Not Found" of a missing route. */
    static SimResponse rejection(int status, Fault.ErrorShape shape) {
        String message = "simulated refusal (HTTP " + status + ")";
        return switch (shape) {
            case PROXY_EXCEPTION -> proxyError(status, message, status == 404 ? "not_found_error" : "bad_request_error", "None");
            case DETAIL -> detail(status, message);
            case VALIDATION -> json(status, java.util.Map.of("detail", java.util.List.of(java.util.Map.of(
                    "type", "value_error", "loc", java.util.List.of("body", "litellm_params"), "msg", message))));
            case PROBLEM -> new SimResponse(status, "application/problem+json", SimJson.write(java.util.Map.of(
                    "type", "urn:litellm:error:simulated", "title", "Refused", "status", status, "detail", message)));
        };
    }

    static SimResponse notFoundRoute() {
        return json(404, java.util.Map.of("detail", "Not Found"));
    }
}
