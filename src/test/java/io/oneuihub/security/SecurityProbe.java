package io.oneuihub.security;

import java.time.Duration;

import graphql.language.FieldDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.language.TypeName;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.security.access.prepost.PreAuthorize;
import reactor.core.publisher.Flux;

/**
 * A test-only admin subscription, {@code securityProbe(ticks, intervalMs): Int!}, so the WebSocket
 * mechanism is exercised before the schema has real subscriptions. It extends the schema's
 * Subscription type if there is one, else creates it; its service is guarded like real ones.
 */
@TestConfiguration(proxyBeanMethods = false)
public class SecurityProbe {

    public static final String FIELD = "securityProbe";

    /** Ticks 0, 1, 2 ... every intervalMs; admins only. */
    public static class ProbeService {

        @PreAuthorize("hasRole('ADMIN')")
        public Flux<Integer> ticks(int ticks, long intervalMs) {
            return Flux.interval(Duration.ofMillis(intervalMs)).map(Long::intValue).take(ticks);
        }
    }

    @Bean
    ProbeService securityProbeService() {
        return new ProbeService();
    }

    @Bean
    GraphQlSourceBuilderCustomizer securityProbeSchema() {
        FieldDefinition field = FieldDefinition.newFieldDefinition()
                .name(FIELD)
                .inputValueDefinition(new InputValueDefinition("ticks", new TypeName("Int")))
                .inputValueDefinition(new InputValueDefinition("intervalMs", new TypeName("Int")))
                .type(new NonNullType(new TypeName("Int")))
                .build();
        return builder -> builder.configureTypeDefinitions(registry -> {
            if (registry.getType("Subscription").isPresent()) {
                registry.add(ObjectTypeExtensionDefinition.newObjectTypeExtensionDefinition()
                        .name("Subscription").fieldDefinition(field).build());
            } else {
                registry.add(ObjectTypeDefinition.newObjectTypeDefinition()
                        .name("Subscription").fieldDefinition(field).build());
            }
        });
    }

    @Bean
    RuntimeWiringConfigurer securityProbeWiring(ProbeService service) {
        return wiring -> wiring.type("Subscription", type -> type.dataFetcher(FIELD, env -> {
            Integer ticks = env.getArgument("ticks");
            Integer interval = env.getArgument("intervalMs");
            return service.ticks(ticks == null ? 1000 : ticks, interval == null ? 50 : interval);
        }));
    }
}
