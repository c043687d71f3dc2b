package io.oneuihub.dev.litellm;

import java.time.Duration;

/** Something going wrong between the client and LiteLLM. */
public record Fault(Kind kind, Duration duration) {

    public enum Kind {
        /** answer normally, but only after {@link #duration()} */
        LATENCY,
        /** close the connection without answering */
        CONNECTION_CLOSED,
        /** 500 with a LiteLLM JSON body */
        SERVER_ERROR_JSON,
        /** 500 text/plain "Internal Server Error", as an unhandled Python exception gives */
        PLAIN_TEXT_500,
        /** 200 with a body that is not JSON */
        MALFORMED_JSON,
        /** 200 with the real body cut in half */
        TRUNCATED_JSON,
        /** 200 with the real body sent in small chunks, one per {@link #duration()} */
        SLOW_DRIP
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
}
