package io.oneuihub.dev;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A real OAuth2/OIDC issuer on localhost (mock-oauth2-server) that signs real RS256 JWTs and serves
 * its JWK set, so the application validates tokens exactly as it would against Keycloak.
 */
public final class LocalIssuer {

    public static final String ISSUER_ID = "oneuihub";
    public static final String AUDIENCE = "oneuihub-graphql";

    private static MockOAuth2Server server;

    private LocalIssuer() {
    }

    public static synchronized MockOAuth2Server server() {
        if (server == null) {
            server = new MockOAuth2Server();
            server.start();
        }
        return server;
    }

    public static synchronized MockOAuth2Server start(int port) {
        if (server == null) {
            server = new MockOAuth2Server();
            server.start(port);
        }
        return server;
    }

    public static String issuerUri() {
        return server().issuerUrl(ISSUER_ID).toString();
    }

    /**
     * The JWK set by IP: the application then fetches keys without resolving "localhost", which
     * through Netty's DNS resolver can take seconds here (long enough to trip graphql-ws's init timeout).
     */
    public static String jwkSetUri() {
        return server().jwksUrl(ISSUER_ID).toString().replace("//localhost:", "//127.0.0.1:");
    }

    public static String token(String subject, Map<String, Object> claims, Duration lifetime) {
        return token(ISSUER_ID, subject, List.of(AUDIENCE), claims, lifetime);
    }

    public static String token(String issuerId, String subject, List<String> audience, Map<String, Object> claims,
            Duration lifetime) {
        return server().issueToken(issuerId, "hub-client",
                new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", audience, claims, lifetime.toSeconds()))
                .serialize();
    }

    public static String adminToken() {
        return token("admin@example.com", Map.of("roles", List.of("admin")), Duration.ofHours(12));
    }

    public static String userToken() {
        return token("user@example.com", Map.of("roles", List.of("user")), Duration.ofHours(12));
    }
}
