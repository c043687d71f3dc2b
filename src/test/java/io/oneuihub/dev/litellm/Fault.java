package io.oneuihub.dev.litellm;

import java.time.Duration;

/**
 * Something going wrong between the client and LiteLLM. Failures LiteLLM answers itself (5xx, a refusal) and a
 * connection closed before the answer leave the simulator's state as it was: the request was not applied. A late,
 * malformed or truncated answer is the answer of a request that was applied.
 */
public record Fault(Kind kind, Duration duration, int status, ErrorShape shape) {

    public enum Kind {
        /** answer normally, but only after {@link #duration()} */
        LATENCY,
        /** close the connection without answering (the request is not applied) */
        CONNECTION_CLOSED,
        /** 500 with a LiteLLM JSON body (not applied) */
        SERVER_ERROR_JSON,
        /** 500 text/plain "Internal Server Error", as an unhandled Python exception gives (not applied) */
        PLAIN_TEXT_500,
        /** 200 with a body that is not JSON */
        MALFORMED_JSON,
        /** 200 with the real body cut in half */
        TRUNCATED_JSON,
        /** 200 with the real body sent in small chunks, one per {@link #duration()} */
        SLOW_DRIP,
        /** LiteLLM refuses the request with {@link #status()} in one of its error shapes (not applied) */
        REJECTED
    }

    /** The error bodies LiteLLM answers a refusal with (API.md 1.4). */
    public enum ErrorShape {
        /** {"error": {"message", "type", "param", "code": "400"}} */
        PROXY_EXCEPTION,
        /** FastAPI's {"detail": {"error": "..."}} */
        DETAIL,
        /** pydantic's {"detail": [{"type", "loc", "msg"}]} */
        VALIDATION,
        /** RFC 9457 application/problem+json */
        PROBLEM
    }

    public Fault(Kind kind, Duration duration) {
        this(kind, duration, 0, null);
    }

    /** True when LiteLLM does not apply the request: it fails before (or instead of) handling it. */
    boolean preventsHandling() {
        return kind == Kind.CONNECTION_CLOSED || kind == Kind.SERVER_ERROR_JSON || kind == Kind.PLAIN_TEXT_500
                || kind == Kind.REJECTED;
    }

    public static Fault latency(Duration delay) {
        return new Fault(Kind.LATENCY, delay);
    }

    public static Fault connectionClosed() {
        return new Fault(Kind.CONNECTION_CLOSED, Duration.ZERO);
    }

    public static Fault serverErrorJson() {
        return new Fault(Kind.SERVER_ERROR_JSON, Duration.ZERO);
    }

    public static Fault plainText500() {
        return new Fault(Kind.PLAIN_TEXT_500, Duration.ZERO);
    }

    public static Fault malformedJson() {
        return new Fault(Kind.MALFORMED_JSON, Duration.ZERO);
    }

    public static Fault truncatedJson() {
        return new Fault(Kind.TRUNCATED_JSON, Duration.ZERO);
    }

    public static Fault slowDrip(Duration perChunk) {
        return new Fault(Kind.SLOW_DRIP, perChunk);
    }

    /** A refusal, e.g. rejected(403, ErrorShape.DETAIL); a 422 is always in the validation shape's spirit but may use any. */
    public static Fault rejected(int status, ErrorShape shape) {
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("a refusal is a 4xx status: " + status);
        }
        return new Fault(Kind.REJECTED, Duration.ZERO, status, shape);
    }

    @Override
    public String toString() {
        return kind == Kind.REJECTED ? "rejected " + status + " " + shape : kind + (duration.isZero() ? "" : " " + duration.toMillis() + "ms");
    }
}
