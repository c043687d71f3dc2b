package io.oneuihub.dev.litellm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A refusal in one of LiteLLM's error shapes (API.md §1.4). A refused request changes nothing in the
 * simulator's state, as LiteLLM's validation and permission checks run before any write.
 */
public record Rejection(int status, String description, Map<String, Object> body) {

    /** ProxyException: {"error": {"message", "type", "param", "code"}} with code as a string. */
    public static Rejection proxyError(int status, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", status == 403 ? "auth_error" : "bad_request_error");
        error.put("param", "None");
        error.put("code", String.valueOf(status));
        return new Rejection(status, "ProxyException " + status, Map.of("error", error));
    }

    /** A raw FastAPI HTTPException: {"detail": {"error": "..."}}. */
    public static Rejection detail(int status, String message) {
        return new Rejection(status, "detail " + status, Map.of("detail", Map.of("error", message)));
    }

    /** A request-validation failure: 422 {"detail": [{"type", "loc", "msg"}]}. */
    public static Rejection validation(String field, String message) {
        return new Rejection(422, "validation 422", Map.of("detail", List.of(Map.of("type", "value_error",
                "loc", List.of("body", field), "msg", message))));
    }

    /** An RFC 9457 problem document, as the /management/v1 routes answer. */
    public static Rejection problem(int status, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:litellm:error:forbidden");
        problem.put("title", "Forbidden");
        problem.put("status", status);
        problem.put("detail", detail);
        return new Rejection(status, "problem " + status, problem);
    }

    SimResponse response() {
        SimResponse json = SimResponse.json(status, body);
        return body.containsKey("type") && body.containsKey("title")
                ? new SimResponse(status, "application/problem+json", json.body()) : json;
    }

    @Override
    public String toString() {
        return description;
    }
}
