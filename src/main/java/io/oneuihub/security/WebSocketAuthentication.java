package io.oneuihub.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionPublisherException;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.graphql.server.support.AuthenticationExtractor;
import org.springframework.graphql.server.support.BearerTokenAuthenticationExtractor;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Authentication for graphql-ws. Browsers cannot set headers on a WebSocket, so the token travels
 * in the {@code connection_init} payload as {@code {"Authorization": "Bearer <jwt>"}} and is
 * validated exactly like an HTTP bearer token (signature, issuer, audience, expiry).
 * <ul>
 * <li>No token, a malformed, badly signed, expired or wrong-audience token: the socket is closed
 * with 4401 Unauthorized (every subscription is admin-only, so an anonymous socket is useless).</li>
 * <li>A valid token: {@code connection_ack}; each operation then runs with that identity and the
 * service layer decides (a plain user subscribing to an admin subscription gets an error message
 * classified FORBIDDEN for that operation; the socket stays open).</li>
 * <li>When the token's {@code exp} passes, every running subscription of the socket ends with an
 * {@code error} message classified UNAUTHORIZED, and later operations on the socket are refused the
 * same way: the client reconnects with a fresh token (graphql-ws clients re-run connectionParams).</li>
 * </ul>
 */
public final class WebSocketAuthentication implements WebSocketGraphQlInterceptor {

    private static final Logger log = LoggerFactory.getLogger(WebSocketAuthentication.class);

    static final String SECURITY_CONTEXT = WebSocketAuthentication.class.getName() + ".securityContext";
    static final String EXPIRED_MESSAGE = "The access token expired; reconnect with a fresh token.";

    private final AuthenticationExtractor extractor = new BearerTokenAuthenticationExtractor();
    private final ReactiveAuthenticationManager authenticationManager;
    private final Clock clock;
    private final Scheduler timer;

    public WebSocketAuthentication(ReactiveAuthenticationManager authenticationManager) {
        this(authenticationManager, Clock.systemUTC(), Schedulers.parallel());
    }

    WebSocketAuthentication(ReactiveAuthenticationManager authenticationManager, Clock clock, Scheduler timer) {
        this.authenticationManager = authenticationManager;
        this.clock = clock;
        this.timer = timer;
    }

    @Override
    public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo info, Map<String, Object> payload) {
        // Any error here makes Spring GraphQL close the socket with 4401 Unauthorized.
        return extractor.getAuthentication(payload)
                .switchIfEmpty(Mono.error(() -> new AuthenticationCredentialsNotFoundException(
                        "connection_init must carry {\"Authorization\": \"Bearer <token>\"}")))
                .flatMap(authenticationManager::authenticate)
                .doOnNext(authentication -> info.getAttributes().put(SECURITY_CONTEXT, new SecurityContextImpl(authentication)))
                .doOnError(ex -> log.debug("graphql-ws connection {} refused: {}", info.getId(), ex.getClass().getSimpleName()))
                .then(Mono.empty());
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (!(request instanceof WebSocketGraphQlRequest webSocketRequest)) {
            return chain.next(request);
        }
        Object stored = webSocketRequest.getSessionInfo().getAttributes().get(SECURITY_CONTEXT);
        if (!(stored instanceof SecurityContext securityContext)) {
            return Mono.just(refusal(request));
        }
        Instant expiresAt = expiresAt(securityContext.getAuthentication());
        if (expiresAt != null && !clock.instant().isBefore(expiresAt)) {
            return Mono.just(refusal(request));
        }
        return chain.next(request)
                .map(response -> expiresAt == null ? response : endAtExpiry(response, expiresAt))
                .contextWrite(ReactiveSecurityContextHolder.withSecurityContext(Mono.just(securityContext)));
    }

    /** Ends a subscription's stream with an UNAUTHORIZED error when the token expires. */
    WebGraphQlResponse endAtExpiry(WebGraphQlResponse response, Instant expiresAt) {
        if (!(response.getData() instanceof Publisher<?> publisher)) {
            return response;
        }
        @SuppressWarnings("unchecked")
        Publisher<ExecutionResult> events = (Publisher<ExecutionResult>) publisher;
        Flux<ExecutionResult> bounded = Flux.defer(() -> {
            AtomicBoolean expired = new AtomicBoolean();
            Duration left = Duration.between(clock.instant(), expiresAt);
            Mono<Long> expiry = Mono.delay(left.isNegative() ? Duration.ZERO : left, timer)
                    .doOnNext(tick -> expired.set(true));
            return Flux.from(events)
                    .takeUntilOther(expiry)
                    .concatWith(Mono.defer(() -> expired.get()
                            ? Mono.error(new SubscriptionPublisherException(List.of(expiredError()), null))
                            : Mono.empty()));
        });
        return response.transform(builder -> builder.data(bounded));
    }

    private static WebGraphQlResponse refusal(WebGraphQlRequest request) {
        ExecutionResult result = ExecutionResult.newExecutionResult().addError(expiredError()).build();
        return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result));
    }

    static GraphQLError expiredError() {
        return GraphqlErrorBuilder.newError().errorType(ErrorType.UNAUTHORIZED).message(EXPIRED_MESSAGE).build();
    }

    static Instant expiresAt(Authentication authentication) {
        return authentication instanceof JwtAuthenticationToken jwt ? jwt.getToken().getExpiresAt() : null;
    }
}
