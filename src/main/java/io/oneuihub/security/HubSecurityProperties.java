package io.oneuihub.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param rolesClaim     claim holding the caller's roles; dotted paths reach nested claims
 *                       ({@code realm_access.roles}); a space-separated string counts as a list
 * @param adminRole      role that makes a caller an admin, compared case-insensitively
 * @param audience       required {@code aud} value; blank = not checked (any token of the issuer is accepted)
 * @param issuer         required {@code iss} value; blank = the issuer URI's, or not checked when only a
 *                       JWK set URI is configured
 * @param publicCatalog  whether anonymous callers may read the catalog
 * @param allowedOrigins browser origins allowed to call /graphql cross-origin (CORS) and to open
 *                       the graphql-ws WebSocket; empty = same-origin only
 */
@ConfigurationProperties("hub.security")
public record HubSecurityProperties(
        @DefaultValue("roles") String rolesClaim,
        @DefaultValue("admin") String adminRole,
        String audience,
        String issuer,
        @DefaultValue("true") boolean publicCatalog,
        @DefaultValue List<String> allowedOrigins) {

    public HubSecurityProperties {
        if (rolesClaim == null || rolesClaim.isBlank()) {
            throw new IllegalArgumentException("hub.security.roles-claim must not be blank");
        }
        if (adminRole == null || adminRole.isBlank()) {
            throw new IllegalArgumentException("hub.security.admin-role must not be blank");
        }
        allowedOrigins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(String::trim).filter(origin -> !origin.isEmpty()).toList();
    }

    boolean audienceChecked() {
        return audience != null && !audience.isBlank();
    }

    boolean issuerGiven() {
        return issuer != null && !issuer.isBlank();
    }
}
