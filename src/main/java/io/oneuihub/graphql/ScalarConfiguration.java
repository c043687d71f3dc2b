package io.oneuihub.graphql;

import graphql.scalars.ExtendedScalars;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import tools.jackson.core.StreamWriteFeature;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

@Configuration(proxyBeanMethods = false)
class ScalarConfiguration {

    /** Prices per token are tiny: 0.00000015 must reach clients as written, not as 1.5E-7. */
    @Bean
    JsonMapperBuilderCustomizer plainDecimals() {
        return builder -> builder.enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN);
    }

    @Bean
    RuntimeWiringConfigurer extendedScalars() {
        return wiring -> wiring
                .scalar(MicrosecondDateTime.SCALAR)
                .scalar(ExtendedScalars.GraphQLBigDecimal)
                .scalar(ExtendedScalars.Json)
                .scalar(ExtendedScalars.GraphQLLong);
    }
}
