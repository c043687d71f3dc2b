package io.oneuihub.litellm;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.channel.ConnectTimeoutException;
import io.oneuihub.litellm.LiteLlmException.Category;
import org.springframework.core.io.buffer.DataBufferLimitException;
import reactor.netty.http.client.PrematureCloseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads LiteLLM's four error shapes (OpenAI-style {@code error} object, FastAPI {@code detail}, 422
 * validation lists, plain-text 500s) plus RFC 9457 problem documents, and transport failures, into one
 * {@link LiteLlmException}.
 */
final class ErrorDecoder {

    private static final int MAX_MESSAGE = 300;
    // "{'error': 'Model with id=abc not found in db'}" – a Python dict repr wrapped into the message
    private static final Pattern DICT_REPR = Pattern.compile("^\\{\\s*'(?:error|message|detail)'\\s*:\\s*(['\"])(.*)\\1\\s*}$",
            Pattern.DOTALL);
    private static final Pattern TRACE_START = Pattern.compile("(?i)(\\n\\s*stack trace|traceback \\(most recent call last\\)|\\n\\s+at |\\n\\s+File \")");

    private final Secrets secrets;

    ErrorDecoder(Secrets secrets) {
        this.secrets = secrets;
    }

    /** A non-2xx answer. */
    LiteLlmException fromResponse(String operation, int status, byte[] body) {
        JsonNode json = parseOrNull(body);
        String message;
        boolean missingRoute;
        if (json == null) {
            message = clean(new String(body, StandardCharsets.UTF_8));
            missingRoute = status == 404 || status == 405; // a gateway's HTML 404: the route is not there
        } else {
            message = clean(messageOf(json));
            JsonNode detail = json.path("detail");
            missingRoute = status == 405 || (status == 404 && detail.isString()
                    && ("Not Found".equalsIgnoreCase(detail.asString()) || "Method Not Allowed".equalsIgnoreCase(detail.asString())));
        }
        return new LiteLlmException(categorize(status, message), status, operation, message, missingRoute, null);
    }

    static Category categorize(int status, String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (status == 401) {
            return Category.UNAUTHORIZED;
        }
        if (text.contains("model in config") || text.contains("config-based model")) {
            return Category.READ_ONLY_CONFIG_MODEL;
        }
        if (status < 500 && (text.contains("already exists") || text.contains("unique constraint"))) {
            return Category.CONFLICT;
        }
        if (status == 404) {
            return Category.NOT_FOUND;
        }
        if (status == 400 && (text.contains("not found") || text.contains("does not exist"))) {
            return Category.NOT_FOUND;
        }
        if (status == 408 || status == 504) {
            return Category.TIMEOUT;
        }
        if (status == 429) {
            return Category.UNAVAILABLE;
        }
        if (status >= 400 && status < 500) {
            return Category.REJECTED;
        }
        if (status >= 500) {
            // writes switched off on the proxy: the request can never succeed, retrying is pointless
            return text.contains("store_model_in_db") ? Category.REJECTED : Category.UNAVAILABLE;
        }
        return Category.PROTOCOL;
    }

    /** A failure without a (complete) HTTP answer. */
    LiteLlmException fromTransport(String operation, Throwable error, LiteLlmProperties properties) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof LiteLlmException known) {
                return known;
            }
            if (t instanceof ConnectTimeoutException) {
                return transport(Category.TIMEOUT, operation, "no connection within " + properties.connectTimeout().toMillis() + " ms", error);
            }
            if (t instanceof TimeoutException || t instanceof io.netty.handler.timeout.TimeoutException) {
                return transport(Category.TIMEOUT, operation, "no complete response within " + properties.responseTimeout().toMillis() + " ms", error);
            }
            if (t instanceof DataBufferLimitException) {
                return transport(Category.PROTOCOL, operation, "response larger than " + properties.maxResponseSize().toBytes() + " bytes", error);
            }
            if (t instanceof JacksonException) {
                return transport(Category.PROTOCOL, operation, "unreadable JSON", error);
            }
            if (t instanceof ConnectException) {
                return transport(Category.UNAVAILABLE, operation, "connection refused by " + properties.baseUrl(), error);
            }
            if (t instanceof UnknownHostException) {
                return transport(Category.UNAVAILABLE, operation, "unknown host in " + properties.baseUrl(), error);
            }
            if (t instanceof PrematureCloseException) {
                return transport(Category.UNAVAILABLE, operation, "connection closed before the response was complete", error);
            }
        }
        if (error instanceof IOException || error.getCause() instanceof IOException) {
            return transport(Category.UNAVAILABLE, operation, "connection failed", error);
        }
        return transport(Category.UNAVAILABLE, operation, "request failed (" + error.getClass().getSimpleName() + ")", error);
    }

    LiteLlmException protocol(String operation, int status, String why) {
        return new LiteLlmException(Category.PROTOCOL, status, operation, why);
    }

    private LiteLlmException transport(Category category, String operation, String message, Throwable cause) {
        return new LiteLlmException(category, 0, operation, secrets.redact(message), false, cause);
    }

    private static JsonNode parseOrNull(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = WireJson.readTree(body);
            return node != null && (node.isObject() || node.isArray()) ? node : null;
        } catch (JacksonException notJson) {
            return null;
        }
    }

    static String messageOf(JsonNode json) {
        JsonNode error = json.path("error");
        if (error.isObject()) {
            return unwrapDictRepr(WireJson.text(error.get("message")));
        }
        if (error.isString()) {
            return unwrapDictRepr(error.asString());
        }
        JsonNode detail = json.path("detail");
        if (json.has("title") && json.has("status")) { // RFC 9457 problem document
            return detail.isString() ? detail.asString() : WireJson.text(json.get("title"));
        }
        if (detail.isString()) {
            return unwrapDictRepr(detail.asString());
        }
        if (detail.isObject()) {
            String inner = WireJson.text(detail.has("error") ? detail.get("error") : detail.get("message"));
            return unwrapDictRepr(inner != null ? inner : detail.toString());
        }
        if (detail.isArray()) { // 422: [{"loc": ["body", "model_name"], "msg": "Field required"}, ...]
            StringBuilder out = new StringBuilder();
            detail.values().forEach(item -> {
                if (!out.isEmpty()) {
                    out.append("; ");
                }
                StringBuilder loc = new StringBuilder();
                item.path("loc").values().forEach(part -> loc.append(loc.isEmpty() ? "" : ".").append(part.asString()));
                out.append(loc.isEmpty() ? "" : loc + ": ").append(WireJson.text(item.get("msg")));
            });
            return out.toString();
        }
        if (json.has("message")) {
            return WireJson.text(json.get("message"));
        }
        return json.toString();
    }

    static String unwrapDictRepr(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = DICT_REPR.matcher(message.trim());
        return m.matches() ? m.group(2) : message;
    }

    /** Redacts secrets, cuts off stack traces, keeps one short line. */
    String clean(String message) {
        if (message == null) {
            return null;
        }
        String text = secrets.redact(message);
        Matcher trace = TRACE_START.matcher(text);
        if (trace.find()) {
            text = text.substring(0, trace.start());
        }
        text = text.replaceAll("\\s+", " ").trim();
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
    }
}
