package io.oneuihub.litellm;

/**
 * Every failure of a LiteLLM call, whatever LiteLLM's error body looked like. The message is safe to show
 * to an admin: secrets are redacted and stack traces cut off.
 */
public class LiteLlmException extends RuntimeException {

    public enum Category {
        /** LiteLLM could not be reached or failed on its side; retrying later may help. */
        UNAVAILABLE,
        /** No complete answer within the configured time. */
        TIMEOUT,
        /** The master key was missing or refused (HTTP 401). */
        UNAUTHORIZED,
        /** The deployment, budget, customer, user or team does not exist upstream. */
        NOT_FOUND,
        /** The deployment comes from LiteLLM's config file; LiteLLM refuses to change it. */
        READ_ONLY_CONFIG_MODEL,
        /** The id is already taken. */
        CONFLICT,
        /** LiteLLM refused the request itself (validation, permissions, configuration). */
        REJECTED,
        /** LiteLLM answered with something we cannot read. */
        PROTOCOL
    }

    private final Category category;
    private final int status;
    private final String upstreamMessage;
    private final boolean missingRoute;

    LiteLlmException(Category category, int status, String operation, String upstreamMessage, boolean missingRoute, Throwable cause) {
        super(operation + " failed: " + category + (status > 0 ? " (HTTP " + status + ")" : "")
                + (upstreamMessage == null || upstreamMessage.isBlank() ? "" : ": " + upstreamMessage), cause, false, true);
        this.category = category;
        this.status = status;
        this.upstreamMessage = upstreamMessage;
        this.missingRoute = missingRoute;
    }

    LiteLlmException(Category category, int status, String operation, String upstreamMessage) {
        this(category, status, operation, upstreamMessage, false, null);
    }

    /** A call the hub gave up waiting for: LiteLLM may still apply a write it was sent. */
    public static LiteLlmException timeout(String operation, String message) {
        return new LiteLlmException(Category.TIMEOUT, 0, operation, message);
    }

    public Category category() {
        return category;
    }

    /** HTTP status of LiteLLM's answer; 0 when there was none. */
    public int status() {
        return status;
    }

    /** LiteLLM's own explanation, sanitized; may be null. */
    public String upstreamMessage() {
        return upstreamMessage;
    }

    /** The route itself does not exist on this LiteLLM build (FastAPI's {"detail":"Not Found"}). */
    boolean missingRoute() {
        return missingRoute;
    }

    boolean retryable() {
        return category == Category.UNAVAILABLE || category == Category.TIMEOUT;
    }

    LiteLlmException recategorize(Category newCategory, String operation) {
        return new LiteLlmException(newCategory, status, operation, upstreamMessage, false, this);
    }
}
