package io.oneuihub.security;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import io.oneuihub.dev.LocalIssuer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * graphql-ws clients send {@code connection_init} as soon as the socket opens, so the first frame
 * can reach the server in the same instant the 101 response leaves it. Every such socket must be
 * answered: {@code connection_ack} for a valid token, close code 4401 for an anonymous one. A frame
 * the server drops shows here as a socket that hears nothing until the init timeout (4408).
 *
 * <p>The client is raw on purpose: it writes the upgrade request, reads the 101 headers and writes
 * the masked {@code connection_init} frame right away on the same thread, which is the earliest
 * moment RFC 6455 allows and what a browser on a fast link does.
 */
@IntegrationTest
@TestPropertySource(properties = {
        "hub.security.audience=" + LocalIssuer.AUDIENCE,
        "hub.litellm.base-url=http://127.0.0.1:9",
        // Shorter than the client's deadline, so a lost connection_init shows as 4408 rather than silence.
        "spring.graphql.websocket.connection-init-timeout=3s"})
class WebSocketHandshakeRaceTest extends GraphQlTestSupport {

    /**
     * With Spring Security's session-creating defaults back in place, every run on a loaded 2-core
     * machine lost 2 to 13 of 3000 connection_inits: enough sockets to fail every time the fault is
     * there, few enough to take 8 to 20 s. Concurrency loads the server as a busy
     * dashboard fleet would; each socket still runs its exchange alone, in order.
     */
    private static final int SOCKETS = 3000;
    private static final int CONCURRENCY = 64;
    /** Of the order of graphql-ws's own connectionAckWaitTimeout. */
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    enum Caller { ADMIN, USER, ANONYMOUS }

    /** What one socket heard first: a graphql-ws message type, a close code, or what went wrong. */
    record Outcome(Caller caller, String heard) {

        boolean expected() {
            return heard.equals(caller == Caller.ANONYMOUS ? "close 4401" : "connection_ack");
        }
    }

    @Test
    void everySocketThatSendsConnectionInitWithTheHandshakeIsAnswered() throws Exception {
        Map<Caller, String> init = new EnumMap<>(Caller.class);
        init.put(Caller.ADMIN, initMessage(Map.of("Authorization", "Bearer " + LocalIssuer.adminToken())));
        init.put(Caller.USER, initMessage(Map.of("Authorization", "Bearer " + LocalIssuer.userToken())));
        init.put(Caller.ANONYMOUS, initMessage(Map.of()));

        List<Outcome> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < SOCKETS; i++) {
                Caller caller = Caller.values()[i % Caller.values().length];
                futures.add(pool.submit(() -> new Outcome(caller, open(port, init.get(caller)))));
            }
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }
        } finally {
            pool.shutdownNow();
        }

        List<Outcome> failed = outcomes.stream().filter(outcome -> !outcome.expected()).toList();
        Map<Caller, Map<String, Long>> heard = outcomes.stream().collect(Collectors.groupingBy(Outcome::caller,
                () -> new EnumMap<>(Caller.class), Collectors.groupingBy(Outcome::heard, Collectors.counting())));
        assertThat(failed)
                .as("%d of %d sockets not answered as expected; heard per caller: %s; e.g. %s",
                        failed.size(), outcomes.size(), heard, failed.stream().limit(5).toList())
                .isEmpty();
    }

    private static String initMessage(Map<String, Object> payload) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "connection_init");
        message.put("payload", payload);
        return JSON.writeValueAsString(message);
    }

    /** One graphql-ws socket: handshake, connection_init at once, then the server's first answer. */
    private static String open(int port, String initMessage) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) DEADLINE.toMillis());
            socket.setSoTimeout((int) DEADLINE.toMillis());
            OutputStream out = socket.getOutputStream();
            // Buffered: the 101 headers come in one read, so the frame leaves right after they arrive.
            InputStream in = new BufferedInputStream(socket.getInputStream());
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            String expectedAccept = "sec-websocket-accept: " + accept(key).toLowerCase(Locale.ROOT);
            byte[] initFrame = frame(0x1, initMessage.getBytes(StandardCharsets.UTF_8));
            out.write(("GET /graphql HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: graphql-transport-ws\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String headers = readHeaders(in);
            if (!headers.startsWith("HTTP/1.1 101")) {
                return "handshake " + headers.lines().findFirst().orElse("");
            }
            if (!headers.toLowerCase(Locale.ROOT).contains(expectedAccept)) {
                return "bad Sec-WebSocket-Accept";
            }
            // No pause: the frame follows the 101 as closely as a client can send it.
            out.write(initFrame);
            out.flush();
            while (true) {
                int remaining = (int) Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                if (remaining <= 0) {
                    return "no answer within " + DEADLINE.toSeconds() + " s";
                }
                socket.setSoTimeout(remaining);
                int first = in.read();
                if (first < 0) {
                    return "connection closed without a close frame";
                }
                int opcode = first & 0x0F;
                byte[] payload = readPayload(in);
                switch (opcode) {
                    case 0x1 -> {
                        String type = String.valueOf(JSON.readValue(payload, Map.class).get("type"));
                        if ("ping".equals(type)) {
                            continue;
                        }
                        if ("connection_ack".equals(type)) {
                            out.write(frame(0x8, new byte[] {0x03, (byte) 0xE8}));
                            out.flush();
                        }
                        return type;
                    }
                    case 0x8 -> {
                        int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
                        return "close " + code;
                    }
                    case 0x9 -> out.write(frame(0xA, payload));
                    default -> {
                        // pong or continuation: not part of this exchange, keep listening
                    }
                }
            }
        } catch (SocketTimeoutException ex) {
            return "no answer within " + DEADLINE.toSeconds() + " s";
        } catch (IOException | RuntimeException ex) {
            return ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
    }

    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake");
            }
            bytes.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    /** A server frame's payload (servers do not mask); fragmented messages do not occur in graphql-ws. */
    private static byte[] readPayload(InputStream in) throws IOException {
        int second = readByte(in);
        long length = second & 0x7F;
        if (length == 126) {
            length = (readByte(in) << 8) | readByte(in);
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte(in);
            }
        }
        return in.readNBytes((int) length);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed inside a frame");
        }
        return b;
    }

    /** A final, masked client frame (RFC 6455 section 5.3: every client frame is masked). */
    private static byte[] frame(int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
