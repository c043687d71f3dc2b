package io.oneuihub.graphql;

import java.time.Duration;
import java.util.List;

import io.oneuihub.litellm.LiteLlmException;
import io.oneuihub.security.SecretRedactor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What every write-through mutation (LiteLLM first, then the database) shares: a deadline that ends a LiteLLM
 * write well inside the GraphQL request timeout, so the caller gets UPSTREAM_UNAVAILABLE in the payload instead
 * of a bare HTTP 503, and the one translation of a LiteLLM failure into a userError.
 */
@Component
public class UpstreamWrites {

    private final Duration deadline;
    private final SecretRedactor redactor;

    /**
     * The upstream part gets 60 % of the request timeout: what remains covers the re-read after an unanswered
     * write and the local transaction.
     */
    public UpstreamWrites(@Value("${hub.graphql.request-timeout:10s}") Duration requestTimeout, SecretRedactor redactor) {
        this.deadline = requestTimeout.multipliedBy(6).dividedBy(10);
        this.redactor = redactor;
    }

    public Duration deadline() {
        return deadline;
    }

    /** The LiteLLM call, failing with a TIMEOUT LiteLlmException when it has not answered by the deadline. */
    public <T> Mono<T> bounded(Mono<T> call, String operation) {
        return call.timeout(deadline, Mono.error(() -> LiteLlmException.timeout(operation,
                "no answer within " + deadline.toMillis() + " ms")));
    }

    /**
     * The userError for a LiteLLM failure: the code of {@link UpstreamErrors#code}, LiteLLM's own message for a
     * refusal, and never a secret. {@code afterwards} tells the caller what the hub did about a write whose
     * outcome is unknown (e.g. "The next models sync will show whether LiteLLM applied it.").
     */
    public UserError userError(LiteLlmException e, String afterwards, String... field) {
        String code = UpstreamErrors.code(e);
        String upstream = e.upstreamMessage();
        String message = switch (code) {
            case "UPSTREAM_REJECTED" -> "LiteLLM refused the change" + (upstream == null || upstream.isBlank() ? "." : ": " + upstream);
            case "READ_ONLY_UPSTREAM" -> "LiteLLM cannot change deployments defined in its config file"
                    + (upstream == null || upstream.isBlank() ? "." : ": " + upstream);
            case "NOT_FOUND" -> "LiteLLM has no such entry" + (upstream == null || upstream.isBlank() ? "." : ": " + upstream);
            case "CONFLICT" -> "LiteLLM already has this entry" + (upstream == null || upstream.isBlank() ? "." : ": " + upstream);
            default -> "LiteLLM is unavailable (" + e.category().name().toLowerCase(java.util.Locale.ROOT) + ")"
                    + (upstream == null || upstream.isBlank() ? "" : ": " + upstream) + ".";
        };
        if (afterwards != null && !afterwards.isBlank()) {
            message = message + " " + afterwards;
        }
        return new UserError(field.length == 0 ? null : List.of(field), redactor.redact(message), code);
    }
}
