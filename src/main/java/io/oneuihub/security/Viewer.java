package io.oneuihub.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import reactor.core.publisher.Mono;

/** Who is asking, as far as visibility rules care. */
public record Viewer(boolean authenticated, boolean admin) {

    public static final Viewer ANONYMOUS = new Viewer(false, false);

    public static Mono<Viewer> current() {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .map(Viewer::of)
                .defaultIfEmpty(ANONYMOUS);
    }

    static Viewer of(Authentication authentication) {
        if (!HubAccess.authenticated(authentication)) {
            return ANONYMOUS;
        }
        boolean admin = authentication.getAuthorities().stream()
                .anyMatch(authority -> RoleExtractor.ADMIN.equals(authority.getAuthority()));
        return new Viewer(true, admin);
    }
}
