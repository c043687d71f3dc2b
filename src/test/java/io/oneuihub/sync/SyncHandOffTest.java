package io.oneuihub.sync;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.oneuihub.dev.LocalIssuer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run started over HTTP is handed off once the mutation's answer is written (so the run's first steps do not
 * take the CPU from that answer). Whatever the client does meanwhile, every run it started runs to its end.
 */
class SyncHandOffTest extends SyncTestSupport {

    private static final String START = "{\"query\":\"mutation { syncModels(input: {dryRun: false}) { run { id status } } }\"}";

    @Test
    void theAnswerNamesARunningRunThatThenRunsToItsEnd() {
        sim.seedRealisticCatalog();
        String id = startModels(false);
        assertThat(await(id).status()).isEqualTo(SyncStatus.SUCCEEDED);
    }

    @Test
    void clientsThatHangUpBeforeTheAnswerStillGetTheirRunsRun() throws Exception {
        sim.seedRealisticCatalog();
        byte[] body = START.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /graphql HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + LocalIssuer.adminToken()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 10; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                out.write(head);
                out.write(body);
                out.flush();
                if (i % 2 == 1) {
                    // some wait for the first byte of the answer, then leave without reading it
                    InputStream in = socket.getInputStream();
                    assertThat(in.read()).isNotNegative();
                }
            }
            awaitNothingRunning();
        }
        List<String> ends = db.sql("SELECT status FROM sync_run WHERE kind = 'MODELS'").map(r -> r.get("status", String.class)).all()
                .collectList().block();
        assertThat(ends).as("runs the hung-up clients started").isNotEmpty().containsOnly("SUCCEEDED");
    }
}
