package io.oneuihub.graphql;

import java.util.List;

import graphql.GraphQLError;
import graphql.execution.ExecutionStepInfo;
import graphql.execution.MergedField;
import graphql.execution.ResultPath;
import graphql.language.Field;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingEnvironmentImpl;
import graphql.Scalars;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.graphql.execution.ErrorType;

import static org.assertj.core.api.Assertions.assertThat;

class HubExceptionResolverTest {

    private final HubExceptionResolver resolver = new HubExceptionResolver();

    @Test
    void constraintViolationsBecomeBadRequestsWithoutDatabaseDetails() {
        DataIntegrityViolationException violation = new DataIntegrityViolationException(
                "duplicate key value violates unique constraint \"company_slug_key\" Detail: Key (slug)=(openai) already exists.");

        GraphQLError error = resolve(violation);

        assertThat(error.getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
        assertThat(error.getMessage()).doesNotContain("company_slug_key", "Key (slug)", "duplicate key");
        assertThat(error.getPath()).containsExactly("createCompany");
    }

    @Test
    void invalidInputNamesTheArgument() {
        GraphQLError error = resolve(new InvalidInputException("filter.companyId", "'filter.companyId' is not a valid id."));

        assertThat(error.getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
        assertThat(error.getExtensions()).containsEntry("field", List.of("filter", "companyId"));
    }

    @Test
    void unexpectedFailuresAreLeftToTheGenericInternalError() {
        assertThat(resolver.resolveToSingleError(new IllegalStateException("secret detail"), environment())).isNull();
    }

    private GraphQLError resolve(Throwable ex) {
        return resolver.resolveToSingleError(ex, environment());
    }

    private static DataFetchingEnvironment environment() {
        Field field = Field.newField("createCompany").build();
        return DataFetchingEnvironmentImpl.newDataFetchingEnvironment()
                .mergedField(MergedField.newMergedField(field).build())
                .executionStepInfo(ExecutionStepInfo.newExecutionStepInfo()
                        .type(Scalars.GraphQLString)
                        .path(ResultPath.rootPath().segment("createCompany"))
                        .build())
                .build();
    }
}
