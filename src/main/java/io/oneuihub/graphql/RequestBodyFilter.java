package io.oneuihub.graphql;

import java.nio.charset.StandardCharsets;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Guards GraphQL POST bodies before anything parses them:
 * <ul>
 * <li>larger than {@code hub.graphql.max-request-size}: 413, at once when Content-Length says so,
 * otherwise as soon as a chunked body streams past the limit (the body is read up to the limit only);</li>
 * <li>empty, {@code null}, or a JSON array (batching: one operation per request here): 400;</li>
 * <li>a NUL character anywhere (PostgreSQL cannot store it): 400.</li>
 * </ul>
 * Errors are JSON in the GraphQL shape with {@code extensions.classification = BAD_REQUEST}.
 */
final class RequestBodyFilter implements WebFilter {

    private final String path;
    private final long maxBytes;

    RequestBodyFilter(String path, long maxBytes) {
        this.path = path;
        this.maxBytes = maxBytes;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getMethod() != HttpMethod.POST || !path.equals(request.getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        if (request.getHeaders().getContentLength() > maxBytes) {
            return refuse(exchange, HttpStatus.PAYLOAD_TOO_LARGE, "Request body larger than " + maxBytes + " bytes.");
        }
        return DataBufferUtils.join(request.getBody(), (int) Math.min(Integer.MAX_VALUE, maxBytes))
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .flatMap(bytes -> {
                    String problem = problem(bytes);
                    if (problem != null) {
                        return refuse(exchange, HttpStatus.BAD_REQUEST, problem);
                    }
                    ServerHttpRequest replay = new ServerHttpRequestDecorator(request) {
                        @Override
                        public Flux<DataBuffer> getBody() {
                            return Flux.defer(() -> Mono.just(exchange.getResponse().bufferFactory().wrap(bytes)));
                        }
                    };
                    return chain.filter(exchange.mutate().request(replay).build());
                })
                .onErrorResume(DataBufferLimitException.class, ex ->
                        refuse(exchange, HttpStatus.PAYLOAD_TOO_LARGE, "Request body larger than " + maxBytes + " bytes."));
    }

    static String problem(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.isEmpty() || text.equals("null")) {
            return "The request body must be a JSON object with a 'query'.";
        }
        if (text.startsWith("[")) {
            return "Batched requests are not supported: send one operation per request.";
        }
        if (text.indexOf('\u0000') >= 0 || text.toLowerCase(java.util.Locale.ROOT).contains("\\u0000")) {
            return "NUL characters are not accepted.";
        }
        return null;
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status, String message) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        if (status == HttpStatus.PAYLOAD_TOO_LARGE) {
            // The rest of the body was never read: the connection cannot carry another request.
            response.getHeaders().set(HttpHeaders.CONNECTION, "close");
        }
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = ("{\"errors\":[{\"message\":\"" + message.replace("'", "\\u0027")
                + "\",\"extensions\":{\"classification\":\"BAD_REQUEST\"}}]}").getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
