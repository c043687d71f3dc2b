package io.oneuihub.security;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Access rules that depend on configuration, for use in method security expressions:
 * {@code @PreAuthorize("@hubAccess.catalogReadable(authentication)")}.
 */
@Component("hubAccess")
public class HubAccess {

    private final boolean publicCatalog;

    HubAccess(HubSecurityProperties properties) {
        this.publicCatalog = properties.publicCatalog();
    }

    /** The catalog (companies, enabled ACTIVE models) is public unless HUB_SECURITY_PUBLIC_CATALOG=false. */
    public boolean catalogReadable(Authentication authentication) {
        return publicCatalog || authenticated(authentication);
    }

    static boolean authenticated(Authentication authentication) {
        return authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken);
    }
}
