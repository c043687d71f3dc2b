package io.oneuihub.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Reads roles from a configurable claim of a JWT. The admin role becomes {@code ROLE_ADMIN};
 * every other role is kept as {@code ROLE_<NAME>} so method security can name it.
 */
final class RoleExtractor implements Converter<Jwt, Collection<GrantedAuthority>> {

    static final String ADMIN = "ROLE_ADMIN";

    private final String[] claimPath;
    private final String adminRole;

    RoleExtractor(String rolesClaim, String adminRole) {
        this.claimPath = rolesClaim.split("\\.");
        this.adminRole = adminRole.toLowerCase(Locale.ROOT);
    }

    @Override
    public Collection<GrantedAuthority> convert(Jwt jwt) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (String role : roles(jwt.getClaims())) {
            if (role.toLowerCase(Locale.ROOT).equals(adminRole)) {
                authorities.add(new SimpleGrantedAuthority(ADMIN));
                continue;
            }
            String other = "ROLE_" + role.toUpperCase(Locale.ROOT);
            // With HUB_SECURITY_ADMIN_ROLE=hub-admin, a role literally called "admin" must not become ROLE_ADMIN.
            if (!other.equals(ADMIN)) {
                authorities.add(new SimpleGrantedAuthority(other));
            }
        }
        return authorities;
    }

    List<String> roles(Map<String, Object> claims) {
        Object value = claims;
        for (String segment : claimPath) {
            if (!(value instanceof Map<?, ?> map)) {
                return List.of();
            }
            value = map.get(segment);
        }
        if (value instanceof String text) {
            return List.of(text.trim().split("\\s+")).stream().filter(s -> !s.isEmpty()).toList();
        }
        if (value instanceof Collection<?> values) {
            return values.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }
}
