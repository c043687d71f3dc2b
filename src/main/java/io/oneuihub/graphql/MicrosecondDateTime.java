package io.oneuihub.graphql;

import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.Value;
import graphql.scalars.ExtendedScalars;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

/**
 * The extended-scalars DateTime, written with microseconds instead of milliseconds. PostgreSQL keeps
 * microseconds, and a client sends an {@code updatedAt} it read back as {@code expectedUpdatedAt}: with
 * milliseconds that value would never equal the stored one and every optimistic update would be a CONFLICT.
 * Parsing is unchanged (RFC 3339, any number of fraction digits).
 */
final class MicrosecondDateTime implements Coercing<OffsetDateTime, String> {

    static final GraphQLScalarType SCALAR = ExtendedScalars.DateTime.transform(
            builder -> builder.coercing(new MicrosecondDateTime(ExtendedScalars.DateTime.getCoercing())));

    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
            .appendOffset("+HH:MM", "Z")
            .toFormatter(Locale.ROOT);

    private final Coercing<?, ?> standard;

    private MicrosecondDateTime(Coercing<?, ?> standard) {
        this.standard = standard;
    }

    @Override
    public String serialize(Object input, GraphQLContext context, Locale locale) throws CoercingSerializeException {
        OffsetDateTime time;
        if (input instanceof OffsetDateTime offset) {
            time = offset;
        } else if (input instanceof ZonedDateTime zoned) {
            time = zoned.toOffsetDateTime();
        } else if (input instanceof String text) {
            try {
                time = parseValue(text, context, locale);
            } catch (CoercingParseValueException e) {
                throw new CoercingSerializeException(e.getMessage(), e);
            }
        } else {
            throw new CoercingSerializeException("Expected a date-time but got "
                    + (input == null ? "null" : input.getClass().getSimpleName()) + ".");
        }
        return FORMAT.format(time);
    }

    @Override
    public OffsetDateTime parseValue(Object input, GraphQLContext context, Locale locale) throws CoercingParseValueException {
        return (OffsetDateTime) standard.parseValue(input, context, locale);
    }

    @Override
    public OffsetDateTime parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale)
            throws CoercingParseLiteralException {
        return (OffsetDateTime) standard.parseLiteral(input, variables, context, locale);
    }

    @Override
    public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
        return standard.valueToLiteral(input, context, locale);
    }
}
