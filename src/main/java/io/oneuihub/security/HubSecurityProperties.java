package io.oneuihub.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param rolesClaim    claim holding the caller's roles; dotted paths reach nested claims
 *                      ({@code realm_access.roles}); a space-separated string counts as a list
 * @param adminRole     role that makes a caller an admin, compared case-insensitively
 * @param audience      required {@code aud} value; blank = not checked
 * @param publicCatalog whether anonymous callers may read the catalog
 */
@ConfigurationProperties("hub.security")
public record HubSecurityProperties(
        @DefaultValue("roles") String rolesClaim,
        @DefaultValue("admin") String adminRole,
        String audience,
        @DefaultValue("true") boolean publicCatalog) {
}
