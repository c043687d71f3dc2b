package io.oneuihub.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import io.oneuihub.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * HTTP/1.1 keep-alive as clients really use it: the next request goes out the moment the previous answer has
 * arrived, sometimes before the server has finished with that exchange, and a client may pipeline requests. The
 * connection must keep reading. Reactor Netty up to 1.3.7 stopped reading such a connection for good once a
 * request buffered that way was answered at once (reactor/reactor-netty#4361): the next request on it hung until
 * the client gave up, which is how an actuator health request in this suite once waited 60 s.
 */
@IntegrationTest
class KeepAliveTest {

    private static final String LIVENESS = "GET /actuator/health/liveness HTTP/1.1\r\nHost: localhost\r\n\r\n";

    @LocalServerPort
    int port;

    @Test
    void aConnectionKeepsAnsweringAfterPipelinedRequests() throws IOException {
        for (int connection = 0; connection < 20; connection++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                // two requests in one write: the second arrives while the first is still being answered
                out.write((LIVENESS + LIVENESS).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
                assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
                // and the connection still reads what comes next
                for (int next = 0; next < 3; next++) {
                    out.write(LIVENESS.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    try {
                        assertThat(readResponse(in)).as("request %d after the pipelined pair on connection %d", next, connection)
                                .startsWith("HTTP/1.1 200").contains("\"status\":\"UP\"");
                    } catch (SocketTimeoutException e) {
                        fail("no answer within 5 s to request " + next + " after the pipelined pair on connection " + connection);
                    }
                }
            }
        }
    }

    /** One response with a Content-Length body (what the actuator answers), as text. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes of a response head");
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return headers + new String(body, StandardCharsets.UTF_8);
    }
}
