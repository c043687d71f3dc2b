package io.oneuihub.security;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bare graphql-ws client that shows what the protocol shows: the messages received and the
 * close code. Sends connection_init (with {"Authorization": "Bearer <token>"} when given a token),
 * then, after connection_ack, one subscribe with id "1"; stops at that operation's complete/error,
 * after {@code maxNext} next messages, when the server closes, or after {@code wait}.
 */
public final class GraphQlWsClient {

    /**
     * The subscribe after the ack is emitted on a Netty thread, the completion may come from the
     * timeout's thread: a collision is retried briefly instead of dropping a message. A new handler
     * per emission: busyLooping fixes its deadline when it is created.
     */
    private static Sinks.EmitFailureHandler serialize() {
        return Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(2));
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record Result(List<Map<String, Object>> messages, Integer closeCode, boolean acked, Duration elapsed) {

        public List<Map<String, Object>> ofType(String type) {
            return messages.stream().filter(m -> type.equals(m.get("type"))).toList();
        }

        /** extensions.classification of the first error of operation "1" (from an error or a next message). */
        @SuppressWarnings("unchecked")
        public String errorClassification() {
            for (Map<String, Object> message : messages) {
                Object payload = message.get("payload");
                List<Map<String, Object>> errors = null;
                if ("error".equals(message.get("type"))) {
                    errors = (List<Map<String, Object>>) payload;
                } else if ("next".equals(message.get("type")) && payload instanceof Map<?, ?> map) {
                    errors = (List<Map<String, Object>>) map.get("errors");
                }
                if (errors != null && !errors.isEmpty()) {
                    Map<String, Object> extensions = (Map<String, Object>) errors.get(0).get("extensions");
                    return extensions == null ? "NONE" : String.valueOf(extensions.get("classification"));
                }
            }
            return null;
        }

        public long dataEvents() {
            return ofType("next").stream().filter(m -> m.get("payload") instanceof Map<?, ?> p
                    && p.get("data") != null && p.get("errors") == null).count();
        }
    }

    private GraphQlWsClient() {
    }

    public static Result run(int port, String token, String query, int maxNext, Duration wait) {
        return run(port, token, query, maxNext, wait, new HttpHeaders());
    }

    public static Result run(int port, String token, String query, int maxNext, Duration wait, HttpHeaders headers) {
        List<Map<String, Object>> received = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Integer> closeCode = new AtomicReference<>();
        AtomicBoolean acked = new AtomicBoolean();
        long start = System.nanoTime();
        Sinks.Many<String> out = Sinks.many().unicast().onBackpressureBuffer();
        Map<String, Object> init = new LinkedHashMap<>();
        init.put("type", "connection_init");
        init.put("payload", token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
        String initMessage = JSON.writeValueAsString(init);
        try {
            // A fresh, unpooled client per run: nothing shared with other tests' Reactor Netty resources.
            new ReactorNettyWebSocketClient(HttpClient.newConnection()).execute(URI.create("ws://127.0.0.1:" + port + "/graphql"), headers, session -> {
                // The server's close frame arrives on receive(); record its code whenever it comes.
                session.closeStatus().doOnNext(status -> closeCode.compareAndSet(null, status.getCode())).subscribe();
                int[] nexts = {0};
                Mono<Void> receive = session.receive()
                        .map(WebSocketMessage::getPayloadAsText)
                        .map(text -> {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> message = JSON.readValue(text, Map.class);
                            return message;
                        })
                        .filter(message -> !"ping".equals(message.get("type")) && !"pong".equals(message.get("type")))
                        .doOnNext(message -> {
                            received.add(message);
                            if ("connection_ack".equals(message.get("type"))) {
                                acked.set(true);
                                if (query != null) {
                                    out.emitNext(JSON.writeValueAsString(Map.of("id", "1", "type", "subscribe",
                                            "payload", Map.of("query", query))), serialize());
                                } else {
                                    out.emitComplete(serialize());
                                }
                            }
                        })
                        .takeUntil(message -> {
                            String type = String.valueOf(message.get("type"));
                            if ("next".equals(type)) {
                                nexts[0]++;
                            }
                            return (query == null && "connection_ack".equals(type))
                                    || "complete".equals(type) || "error".equals(type) || nexts[0] >= maxNext;
                        })
                        .then();
                // connection_init is the first frame, sent the moment the socket opens, as graphql-ws clients do.
                Mono<Void> send = session.send(Flux.concat(Mono.just(initMessage), out.asFlux()).map(session::textMessage));
                return Mono.when(send.onErrorComplete(), receive.doFinally(signal -> out.emitComplete(serialize())))
                        .then(Mono.defer(() -> closeCode.get() != null ? Mono.empty()
                                : session.closeStatus().doOnNext(s -> closeCode.compareAndSet(null, s.getCode()))
                                        .timeout(Duration.ofMillis(300), Mono.empty()).then()))
                        .then(Mono.defer(() -> session.close(CloseStatus.NORMAL)));
            }).timeout(wait).onErrorComplete().block(wait.plusSeconds(5));
        } catch (RuntimeException ex) {
            // a refused handshake surfaces here; the result shows no ack and no messages
        }
        return new Result(List.copyOf(received), closeCode.get(), acked.get(), Duration.ofNanos(System.nanoTime() - start));
    }
}
