package io.oneuihub.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;


import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.oneuihub.graphql.OperationCheck;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import reactor.core.publisher.Mono;

/**
 * Every HTTP request may reach /graphql; who may read or change what is decided per operation in
 * the service layer. A bearer token, when present, must be valid, or the request gets HTTP 401.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableReactiveMethodSecurity
@EnableConfigurationProperties(HubSecurityProperties.class)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    ReactiveJwtAuthenticationConverterAdapter jwtAuthenticationConverter(HubSecurityProperties properties) {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(new RoleExtractor(properties.rolesClaim(), properties.adminRole()));
        return new ReactiveJwtAuthenticationConverterAdapter(converter);
    }

    /**
     * graphql-ws clients cannot send headers: the token travels in the connection_init payload as
     * {"Authorization": "Bearer ..."} and is checked exactly like an HTTP bearer token. Outermost
     * interceptor, so every other interceptor and resolver runs with the socket's identity.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    WebSocketAuthentication webSocketAuthentication(ReactiveJwtDecoder jwtDecoder,
            ReactiveJwtAuthenticationConverterAdapter converter) {
        JwtReactiveAuthenticationManager manager = new JwtReactiveAuthenticationManager(jwtDecoder);
        manager.setJwtAuthenticationConverter(converter);
        return new WebSocketAuthentication(manager);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 30)
    WebGraphQlInterceptor viewerContextInterceptor() {
        return new ViewerContextInterceptor();
    }

    /** Every mutation and subscription needs the admin role, even if a resolver forgets @PreAuthorize. */
    @Bean
    OperationCheck operationAccess() {
        return new OperationCheck(new OperationAccessInstrumentation());
    }

    /**
     * Cross-origin browsers (CORS preflights, and WebSocket handshakes, which browsers do not guard)
     * are refused with 403 unless their Origin is listed in HUB_SECURITY_ALLOWED_ORIGINS.
     * Same-origin pages (GraphiQL served by this service) and non-browser clients are unaffected.
     */
    static CorsConfigurationSource corsConfigurationSource(HubSecurityProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept", "GraphQL-Accept"));
        cors.setMaxAge(Duration.ofMinutes(30));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }

    /**
     * No observations of Spring Security's own filters, authentications and authorizations: with an observation
     * registry present it wraps every filter of the chain in an observation of its own, about a tenth of an
     * anonymous catalog page's CPU (bench/README.md, step 12). Requests stay observed as a whole
     * ({@code http.server.requests}); refusals show there and in the hub's own metrics.
     */
    @Bean
    SecurityObservationSettings noSpringSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityWebFilterChain securityFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder,
            ReactiveJwtAuthenticationConverterAdapter converter, HubSecurityProperties properties) {
        return http
                // No cookies or sessions: a bearer token is the only credential, so CSRF cannot apply.
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                // No WebSession either, and nothing else may ask for one: the default request cache (and the
                // default context repository) call exchange.getSession(), and creating a session hops to other
                // schedulers (InMemoryWebSessionStore). A WebSocket upgrade started off the event loop can write its
                // 101 before Reactor Netty rebinds the connection to the WebSocket handler, and a frame read in
                // between is dropped: graphql-ws clients that send connection_init at once then heard nothing
                // (4408 at the init timeout) instead of connection_ack or 4401. WebSocketHandshakeRaceTest.
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .cors(spec -> spec.configurationSource(corsConfigurationSource(properties)))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt
                        .jwtDecoder(jwtDecoder)
                        .jwtAuthenticationConverter(converter)))
                .build();
    }

    /**
     * Signature and expiry always; {@code iss} against HUB_SECURITY_ISSUER or else the issuer URI;
     * {@code aud} when HUB_SECURITY_AUDIENCE is set. What is left unchecked is logged at start.
     */
    @Bean
    ReactiveJwtDecoder jwtDecoder(
            @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri:}") String issuerUri,
            @Value("${spring.security.oauth2.resourceserver.jwt.jwk-set-uri:}") String jwkSetUri,
            HubSecurityProperties properties) {
        if (properties.issuerGiven() && !issuerUri.isBlank() && !properties.issuer().equals(issuerUri)) {
            // Either way some valid tokens would be refused: better not to start than to guess.
            throw new IllegalStateException("HUB_SECURITY_ISSUER (" + properties.issuer() + ") differs from "
                    + "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI (" + issuerUri + "): set one of them, "
                    + "or both to the same value.");
        }
        NimbusReactiveJwtDecoder decoder;
        if (!jwkSetUri.isBlank()) {
            decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwkSetUri).build();
        } else if (!issuerUri.isBlank()) {
            decoder = NimbusReactiveJwtDecoder.withIssuerLocation(issuerUri).build();
        } else {
            log.warn("No JWT issuer configured (SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI or _JWK_SET_URI): "
                    + "every bearer token is rejected and only anonymous access works.");
            return token -> Mono.error(new BadJwtException("No JWT issuer is configured on this service"));
        }
        String issuer = properties.issuerGiven() ? properties.issuer() : issuerUri;
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        if (issuer.isBlank()) {
            log.warn("Only a JWK set URI is configured and no issuer: the token issuer (iss) is not checked, so any "
                    + "token signed by these keys is accepted, whoever issued it. Set HUB_SECURITY_ISSUER to the "
                    + "issuer's iss value.");
            validators.add(JwtValidators.createDefault());
        } else {
            validators.add(JwtValidators.createDefaultWithIssuer(issuer));
        }
        if (properties.audienceChecked()) {
            String audience = properties.audience();
            validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                    aud -> aud != null && aud.contains(audience)));
        } else {
            log.warn("HUB_SECURITY_AUDIENCE is not set: the audience (aud) is not checked, so any token of the "
                    + "issuer is accepted, including tokens it issued for other applications. Set it to the "
                    + "audience the issuer puts in this service's tokens.");
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }
}
